#!/usr/bin/env python3
"""Checks the layer order of cmake/layers.txt against the sources (part of `make check`).

Fails, naming the file, the line and the rule, on:
  - an include of "instctl/X/..." from a directory whose line in the table does not list X;
  - a table line that lists a directory not on an earlier line (the order would have a cycle);
  - a directory of src/instctl/ that the table does not place;
  - SQL (a string literal that starts a statement) outside a store (*_store.*) and db/.

Usage: check_layers.py [ROOT]   (ROOT: the source tree, by default this script's parent's parent)
"""
import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"instctl/([^/"]+)/')
SQL = re.compile(r'"\s*(SELECT\s|INSERT\s+INTO\s|UPDATE\s+\w+\s+SET\s|DELETE\s+FROM\s|'
                 r'CREATE\s+(UNIQUE\s+)?(TABLE|INDEX)\s|ALTER\s+TABLE\s|WITH\s+\w+\s+AS\s*\()')
SOURCE_SUFFIXES = ('.cpp', '.hpp', '.h', '.cc')


def read_table(path, problems):
    order, allowed, targets = [], {}, {}
    with open(path, encoding='utf-8') as table:
        for number, line in enumerate(table, 1):
            words = line.split('#', 1)[0].split()
            if not words:
                continue
            if len(words) < 2:
                problems.append(f'{path}:{number}: a line needs a directory and a target')
                continue
            name, target, deps = words[0], words[1], words[2:]
            if deps == ['*']:
                deps = list(order)
            for dep in deps:
                if dep not in allowed:
                    problems.append(f'{path}:{number}: {name} may include {dep}, which is not on an '
                                    'earlier line: the order must go one way (move the line or '
                                    'drop the edge)')
            order.append(name)
            allowed[name] = set(deps)
            targets[name] = target
    return order, allowed, targets


def sources(directory):
    for base, _, files in os.walk(directory):
        for name in sorted(files):
            if name.endswith(SOURCE_SUFFIXES):
                yield os.path.join(base, name)


def check_file(path, shown, layer, allowed, problems):
    in_store = os.path.basename(path).split('.')[0].endswith('_store') or layer == 'db'
    with open(path, encoding='utf-8', errors='replace') as source:
        for number, line in enumerate(source, 1):
            match = INCLUDE.match(line)
            if match:
                target = match.group(1)
                if target != layer and target not in allowed[layer]:
                    if target in allowed:
                        why = (f'{layer} may include only: '
                               f'{" ".join(sorted(allowed[layer])) or "nothing of instctl"}')
                    else:
                        why = f'{target} is not a directory of the layer table'
                    problems.append(f'{shown}:{number}: includes instctl/{target}/, against '
                                    f'cmake/layers.txt ({why})')
            if not in_store and SQL.search(line):
                problems.append(f'{shown}:{number}: SQL outside a store: statements live in the '
                                'concept\'s *_store.cpp (or db/)')


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                           os.path.join(os.path.dirname(__file__), '..'))
    problems = []
    order, allowed, _ = read_table(os.path.join(root, 'cmake', 'layers.txt'), problems)
    library = os.path.join(root, 'src', 'instctl')
    for name in sorted(os.listdir(library)):
        if os.path.isdir(os.path.join(library, name)) and name not in allowed:
            problems.append(f'src/instctl/{name}/: not placed in cmake/layers.txt (add a line for '
                            'it, below what it includes)')
    for layer in order:
        directory = os.path.join(root, 'cmd') if layer == 'cmd' else os.path.join(library, layer)
        for path in sources(directory):
            check_file(path, os.path.relpath(path, root), layer, allowed, problems)
    for problem in problems:
        print(problem)
    if problems:
        print(f'check_layers: {len(problems)} problem(s)', file=sys.stderr)
        return 1
    print(f'check_layers: {len(order)} layers, every include goes down the table')
    return 0


if __name__ == '__main__':
    sys.exit(main())
