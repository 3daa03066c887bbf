#!/usr/bin/env bash
# Fails, naming each file, when a C++ source of the project differs from what clang-format
# makes of it with the committed .clang-format (part of `make check`).
# Usage: scripts/check_format.sh [--fix]   (--fix rewrites the files in place)
set -euo pipefail
cd "$(dirname "$0")/.."
format=$(command -v clang-format || command -v clang-format-14 || true)
if [ -z "$format" ]; then
  echo "check_format: clang-format is missing: run scripts/install-deps.sh (or apt-get install clang-format)" >&2
  exit 1
fi
mapfile -t files < <(git ls-files -- 'src/*.cpp' 'src/*.hpp' 'cmd/*.cpp' 'cmd/*.hpp' \
  'tests/unit/*.cpp' 'tests/unit/*.hpp' 'tests/fuzz/*.cpp' 'bench/*.cpp')
if [ "${1:-}" = "--fix" ]; then
  "$format" -i "${files[@]}"
  exit 0
fi
# One clang-format for all files; each file it would change is named once.
mapfile -t unformatted < <("$format" --dry-run --Werror "${files[@]}" 2>&1 |
  sed -n 's/^\([^:]*\):[0-9]*:[0-9]*: error: code should be clang-formatted.*/\1/p' | uniq)
if [ ${#unformatted[@]} -gt 0 ]; then
  printf '%s: not formatted as .clang-format says\n' "${unformatted[@]}"
  echo "check_format: ${#unformatted[@]} file(s); fix them with scripts/check_format.sh --fix" >&2
  exit 1
fi
echo "check_format: ${#files[@]} files formatted as .clang-format says"
