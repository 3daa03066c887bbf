#!/usr/bin/env python3
"""The SQLite migrations and their PostgreSQL twins must build the same schema.

    check_schema_match.py [--migrations DIR] [--pg-dir DIR]

Applies DIR/*.sql (default src/instctl/db/migrations) in order to a new SQLite file and
DIR/postgresql/*.sql to a new database on a PostgreSQL server, reads both schemas back from
the databases' catalogs and compares them table by table (present on both), column by column
(name, type class integer/text/real/blob, nullability, a literal default; a different order
is only noted), index by index (name, columns, unique, partial) and foreign key by foreign
key. Each difference is
printed on its own line; the exit code is 1 when there is any, 2 when the check could not run.

The server: the one in --pg-dir or $INSTCTL_TEST_PG_DIR (tests/servers/postgres.sh, as the
e2e-pg suites use), else one this script starts in a temporary directory and stops.
"""

import argparse
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_SH = ROOT / "tests" / "servers" / "postgres.sh"


class CannotRun(Exception):
    pass


def migration_files(directory):
    files = sorted(p for p in directory.glob("*.sql") if re.match(r"\d{4}_", p.name))
    if not files:
        raise CannotRun(f"no migrations in {directory}")
    return files


def type_class(declared):
    """SQLite's affinity rules (and their PostgreSQL names) reduced to four classes."""
    t = declared.lower()
    if "int" in t or t in ("boolean", "bool"):
        return "integer"
    if "char" in t or "clob" in t or "text" in t:
        return "text"
    if "blob" in t or "bytea" in t or t == "":
        return "blob"
    if "real" in t or "floa" in t or "doub" in t or "numeric" in t:
        return "real"
    return "numeric"


def literal_default(value):
    """A default both backends write alike ('x', 12, NULL), else None (not comparable)."""
    if value is None:
        return "NULL"
    v = value.strip()
    while v.startswith("(") and v.endswith(")"):
        v = v[1:-1].strip()
    v = re.sub(r"::[a-z ]+(\[\])?$", "", v)  # PostgreSQL's cast: ''::text
    if re.fullmatch(r"-?\d+(\.\d+)?", v) or re.fullmatch(r"'(?:[^']|'')*'", v):
        return v
    if v.upper() == "NULL":
        return "NULL"
    return None


def sqlite_schema(files):
    with tempfile.TemporaryDirectory() as tmp:
        conn = sqlite3.connect(os.path.join(tmp, "schema.db"))
        for f in files:
            try:
                conn.executescript(f.read_text())
            except sqlite3.Error as e:
                raise CannotRun(f"SQLite: {f.name}: {e}") from e
        schema = {}
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        for table in tables:
            cols = {}
            pk = []
            for cid, name, decl, notnull, default, pk_pos in conn.execute(
                    f'PRAGMA table_info("{table}")'):
                # An INTEGER PRIMARY KEY is the rowid: never NULL, as PostgreSQL's key.
                cols[name] = {"position": cid, "type": type_class(decl),
                              "not_null": bool(notnull or pk_pos), "default": default}
                if pk_pos:
                    pk.append((pk_pos, name))
            indexes = {}
            uniques = set()
            for _, name, unique, origin, partial in conn.execute(
                    f'PRAGMA index_list("{table}")'):
                columns = tuple(r[2] if r[2] is not None else "<expression>"
                                for r in conn.execute(f'PRAGMA index_info("{name}")'))
                if origin == "pk":
                    continue
                if origin == "u":  # a UNIQUE constraint: its index has no name of ours
                    uniques.add(columns)
                    continue
                indexes[name] = {"columns": columns, "unique": bool(unique),
                                 "partial": bool(partial)}
            fks = set()
            groups = {}
            for fid, _, ref, frm, to, _, on_delete, _ in conn.execute(
                    f'PRAGMA foreign_key_list("{table}")'):
                groups.setdefault(fid, [ref, [], [], on_delete.upper()])
                groups[fid][1].append(frm)
                groups[fid][2].append(to)
            for ref, frm, to, on_delete in groups.values():
                fks.add((tuple(frm), ref, tuple(to), on_delete))
            schema[table] = {"columns": cols, "primary_key": tuple(n for _, n in sorted(pk)),
                             "indexes": indexes, "uniques": uniques, "foreign_keys": fks}
        conn.close()
        return schema


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw).stdout


PG_COLUMNS = """
SELECT c.table_name, c.column_name, c.ordinal_position, c.data_type, c.is_nullable,
       coalesce(c.column_default, '\\N')
FROM information_schema.columns c
JOIN information_schema.tables t USING (table_schema, table_name)
WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
ORDER BY 1, 3
"""
PG_INDEXES = """
SELECT t.relname, i.relname, x.indisunique, x.indisprimary, x.indpred IS NOT NULL,
       EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid AND k.contype = 'u'),
       (SELECT string_agg(coalesce(a.attname, '<expression>'), ',' ORDER BY k.n)
          FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, n)
          LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum AND k.attnum > 0)
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_class t ON t.oid = x.indrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE n.nspname = 'public'
"""
PG_FOREIGN_KEYS = """
SELECT t.relname, r.relname,
       (SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(c.conkey) WITH ORDINALITY
          AS k(attnum, n) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum),
       (SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(c.confkey) WITH ORDINALITY
          AS k(attnum, n) JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum),
       c.confdeltype
FROM pg_constraint c
JOIN pg_class t ON t.oid = c.conrelid
JOIN pg_class r ON r.oid = c.confrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE c.contype = 'f' AND n.nspname = 'public'
"""
PG_ON_DELETE = {"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL",
                "d": "SET DEFAULT"}


def pg_query(uri, sql):
    out = run(["psql", "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1", uri,
               "-c", sql])
    return [line.split("\t") for line in out.splitlines() if line]


def pg_schema(uri, files):
    for f in files:
        try:
            run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", uri, "-f", str(f)],
                env=dict(os.environ, PGOPTIONS="-c client_min_messages=warning"))
        except subprocess.CalledProcessError as e:
            raise CannotRun(f"PostgreSQL: {f.name}: {e.stderr.strip()}") from e
    schema = {}
    for table, name, position, data_type, nullable, default in pg_query(uri, PG_COLUMNS):
        t = schema.setdefault(table, {"columns": {}, "primary_key": (), "indexes": {},
                                      "uniques": set(), "foreign_keys": set()})
        t["columns"][name] = {"position": int(position) - 1, "type": type_class(data_type),
                              "not_null": nullable == "NO",
                              "default": None if default == "\\N" else default}
    for table, name, unique, primary, partial, constraint, columns in pg_query(uri, PG_INDEXES):
        t = schema[table]
        cols = tuple(columns.split(","))
        if primary == "t":
            t["primary_key"] = cols
        elif constraint == "t":
            t["uniques"].add(cols)
        else:
            t["indexes"][name] = {"columns": cols, "unique": unique == "t",
                                  "partial": partial == "t"}
    for table, ref, frm, to, on_delete in pg_query(uri, PG_FOREIGN_KEYS):
        schema[table]["foreign_keys"].add((tuple(frm.split(",")), ref, tuple(to.split(",")),
                                           PG_ON_DELETE[on_delete]))
    return schema


def compare(lite, pg, notes):
    """Every difference between the two schemas, one sentence each; notes gets the column
    orders that differ."""
    out = []
    for table in sorted(set(lite) - set(pg)):
        out.append(f"table {table}: only in the SQLite migrations")
    for table in sorted(set(pg) - set(lite)):
        out.append(f"table {table}: only in the PostgreSQL migrations")
    for table in sorted(set(lite) & set(pg)):
        a, b = lite[table], pg[table]
        ca, cb = a["columns"], b["columns"]
        for col in sorted(set(ca) - set(cb)):
            out.append(f"column {table}.{col}: only in the SQLite migrations")
        for col in sorted(set(cb) - set(ca)):
            out.append(f"column {table}.{col}: only in the PostgreSQL migrations")
        order_a = [c for c in sorted(ca, key=lambda c: ca[c]["position"]) if c in cb]
        order_b = [c for c in sorted(cb, key=lambda c: cb[c]["position"]) if c in ca]
        if order_a != order_b:
            # Not a difference a user meets: every statement (db copy's too) names its
            # columns. Said, so that nobody comes to rely on the order.
            notes.append(f"table {table}: columns in another order (SQLite"
                         f" {', '.join(order_a)}; PostgreSQL {', '.join(order_b)})")
        for col in sorted(set(ca) & set(cb)):
            x, y = ca[col], cb[col]
            if x["type"] != y["type"]:
                out.append(f"column {table}.{col}: type {x['type']} on SQLite,"
                           f" {y['type']} on PostgreSQL")
            if x["not_null"] != y["not_null"]:
                def says(n):
                    return "NOT NULL" if n else "nullable"
                out.append(f"column {table}.{col}: {says(x['not_null'])} on SQLite,"
                           f" {says(y['not_null'])} on PostgreSQL")
            da, db = x["default"], y["default"]
            identity = db is not None and db.startswith("nextval(")
            if identity:
                db = None
            if (da is None) != (db is None):
                out.append(f"column {table}.{col}: default {da or 'none'} on SQLite,"
                           f" {db or 'none'} on PostgreSQL")
            elif da is not None:
                la, lb = literal_default(da), literal_default(db)
                if la is not None and lb is not None and la != lb:
                    out.append(f"column {table}.{col}: default {la} on SQLite, {lb} on PostgreSQL")
        if a["primary_key"] != b["primary_key"]:
            out.append(f"table {table}: primary key ({', '.join(a['primary_key'])}) on SQLite,"
                       f" ({', '.join(b['primary_key'])}) on PostgreSQL")
        for cols in sorted(a["uniques"] - b["uniques"]):
            out.append(f"table {table}: UNIQUE ({', '.join(cols)}) only on SQLite")
        for cols in sorted(b["uniques"] - a["uniques"]):
            out.append(f"table {table}: UNIQUE ({', '.join(cols)}) only on PostgreSQL")
        ia, ib = a["indexes"], b["indexes"]
        for name in sorted(set(ia) - set(ib)):
            out.append(f"index {name} on {table}: only in the SQLite migrations")
        for name in sorted(set(ib) - set(ia)):
            out.append(f"index {name} on {table}: only in the PostgreSQL migrations")
        for name in sorted(set(ia) & set(ib)):
            x, y = ia[name], ib[name]
            for what in ("columns", "unique", "partial"):
                if x[what] != y[what]:
                    out.append(f"index {name} on {table}: {what} {x[what]} on SQLite,"
                               f" {y[what]} on PostgreSQL")
        for fk in sorted(a["foreign_keys"] ^ b["foreign_keys"]):
            side = "SQLite" if fk in a["foreign_keys"] else "PostgreSQL"
            out.append(f"table {table}: foreign key ({', '.join(fk[0])}) REFERENCES {fk[1]}"
                       f" ({', '.join(fk[2])}) ON DELETE {fk[3]} only on {side}")
    return out


def with_database(pg_dir, work):
    """Runs work(uri) on a new database, on the server in pg_dir or on one started here."""
    own = None
    if not pg_dir or not (Path(pg_dir) / "uri").is_file():
        own = tempfile.mkdtemp(prefix="instctl-schema-pg.")
        os.chmod(own, 0o755)
        pg_dir = os.path.join(own, "pg")
        try:
            run(["bash", str(PG_SH), "start", pg_dir])
        except subprocess.CalledProcessError as e:
            raise CannotRun(f"cannot start PostgreSQL: {e.stderr.strip()}") from e
    name = f"schema_match_{os.getpid()}"
    try:
        uri = run(["bash", str(PG_SH), "createdb", pg_dir, name]).strip()
        try:
            return work(uri)
        finally:
            subprocess.run(["bash", str(PG_SH), "dropdb", pg_dir, name], capture_output=True)
    finally:
        if own:
            subprocess.run(["bash", str(PG_SH), "stop", pg_dir], capture_output=True)
            subprocess.run(["rm", "-rf", own])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--migrations", type=Path, default=ROOT / "src/instctl/db/migrations")
    parser.add_argument("--pg-dir", default=os.environ.get("INSTCTL_TEST_PG_DIR"))
    args = parser.parse_args()
    try:
        lite_files = migration_files(args.migrations)
        pg_files = migration_files(args.migrations / "postgresql")
        names = ({f.name for f in lite_files}, {f.name for f in pg_files})
        missing = [f"migration {n}: no PostgreSQL twin" for n in sorted(names[0] - names[1])]
        missing += [f"migration {n}: no SQLite twin" for n in sorted(names[1] - names[0])]
        lite = sqlite_schema(lite_files)
        pg = with_database(args.pg_dir, lambda uri: pg_schema(uri, pg_files))
    except CannotRun as e:
        print(f"check_schema_match: cannot check: {e}", file=sys.stderr)
        return 2
    notes = []
    problems = missing + compare(lite, pg, notes)
    for n in notes:
        print(f"note: {n}", file=sys.stderr)
    for p in problems:
        print(p)
    if problems:
        print(f"check_schema_match: {len(problems)} difference(s) between the SQLite and the"
              f" PostgreSQL migrations in {args.migrations}: make the twins agree (a new"
              " migration, never an edit of a released one)", file=sys.stderr)
        return 1
    print(f"check_schema_match: {len(lite)} tables alike on SQLite and PostgreSQL")
    return 0


if __name__ == "__main__":
    sys.exit(main())
