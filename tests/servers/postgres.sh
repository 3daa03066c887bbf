#!/usr/bin/env bash
# A throw-away PostgreSQL 15 server for the tests: a data directory in DIR, owned by an
# unprivileged user (nobody when run as root), listening on 127.0.0.1 on a free port, its unix
# socket inside DIR, password authentication for the user "instctl".
#
#   postgres.sh start DIR          starts it; prints the URI of its "postgres" database
#   postgres.sh stop DIR           stops it (fast shutdown) and leaves DIR to the caller
#   postgres.sh createdb DIR NAME  creates database NAME; prints its URI
#   postgres.sh dropdb DIR NAME    drops database NAME (its connections are ended first)
#   postgres.sh uri DIR [NAME]     prints the URI of database NAME (default postgres)
#   postgres.sh start-link LINK    starts one in a new directory under $TMPDIR (default /tmp)
#                                  and points the symbolic link LINK at it (ctest's fixture)
#   postgres.sh stop-link LINK     stops that one and removes its directory and LINK
#
# DIR/uri holds the URI of the "postgres" database once the server answers.
set -euo pipefail

PG_BIN=${INSTCTL_PG_BIN:-/usr/lib/postgresql/15/bin}
k_user=instctl
k_password=instctl-test-secret

die() {
  echo "postgres.sh: $*" >&2
  exit 1
}

# as_owner CMD...: runs CMD as the data directory's owner.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u nobody -- "$@"
  else
    "$@"
  fi
}

free_port() { /usr/bin/python3 "$(dirname "${BASH_SOURCE[0]}")/../../scripts/free_port.py"; }

uri() {
  local dir=$1 name=${2:-postgres}
  printf 'postgresql://%s:%s@127.0.0.1:%s/%s\n' "$k_user" "$k_password" "$(cat "$dir/port")" "$name"
}

psql_admin() {
  local dir=$1
  shift
  PGCONNECT_TIMEOUT=10 PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 "$(uri "$dir")" "$@"
}

start() {
  local dir=$1
  [ -x "$PG_BIN/initdb" ] || die "no PostgreSQL 15 at $PG_BIN: run scripts/install-deps.sh test"
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  mkdir -p "$dir/data" "$dir/sock"
  printf '%s\n' "$k_password" >"$dir/pwfile"
  if [ "$(id -u)" -eq 0 ]; then
    # The server refuses to run as root: the directory is nobody's, and its parent (a
    # temporary directory) must let nobody through.
    chown -R nobody:nogroup "$dir"
    chmod 0711 "$dir"
    case "$(dirname "$dir")" in / | /tmp) ;; *) chmod o+x "$(dirname "$dir")" ;; esac
  fi
  chmod 0700 "$dir/data"
  as_owner "$PG_BIN/initdb" -D "$dir/data" -U "$k_user" --pwfile="$dir/pwfile" \
    --auth=scram-sha-256 --encoding=UTF8 --locale=C >"$dir/initdb.log" 2>&1 ||
    die "initdb failed: $(cat "$dir/initdb.log")"
  rm -f "$dir/pwfile"
  local port attempt
  for attempt in 1 2 3; do
    port=$(free_port)
    echo "$port" >"$dir/port"
    # Durability does not matter here: fsync off keeps the suites fast.
    if as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir/sock \
          -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
          -c max_connections=200 -c shared_buffers=64MB" start >/dev/null 2>&1; then
      uri "$dir" >"$dir/uri"
      cat "$dir/uri"
      return 0
    fi
    [ "$attempt" -lt 3 ] || die "the server did not start: $(tail -5 "$dir/server.log" 2>/dev/null)"
  done
}

stop() {
  local dir=$1
  [ -f "$dir/data/postmaster.pid" ] || return 0
  as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
  rm -f "$dir/uri"
}

createdb() {
  local dir=$1 name=$2
  psql_admin "$dir" -c "CREATE DATABASE \"$name\" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'" >/dev/null
  uri "$dir" "$name"
}

dropdb() {
  local dir=$1 name=$2
  psql_admin "$dir" -c "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" >/dev/null
}

start_link() {
  local link=$1 dir
  stop_link "$link"
  dir=$(mktemp -d "${TMPDIR:-/tmp}/instctl-pg.XXXXXX")
  ln -sfn "$dir" "$link"
  start "$dir/server"
}

stop_link() {
  local link=$1 dir
  [ -L "$link" ] || return 0
  dir=$(readlink "$link")
  stop "$dir/server"
  rm -rf "$dir" "$link"
}

cmd=${1:-}
shift || true
case "$cmd" in
  start | stop) [ $# -eq 1 ] || die "usage: postgres.sh $cmd DIR"; "$cmd" "$1" ;;
  createdb | dropdb) [ $# -eq 2 ] || die "usage: postgres.sh $cmd DIR NAME"; "$cmd" "$1" "$2" ;;
  start-link) [ $# -eq 1 ] || die "usage: postgres.sh start-link LINK"; start_link "$1" ;;
  stop-link) [ $# -eq 1 ] || die "usage: postgres.sh stop-link LINK"; stop_link "$1" ;;
  uri) [ $# -ge 1 ] || die "usage: postgres.sh uri DIR [NAME]"; uri "$@" ;;
  *) die "usage: postgres.sh start|stop|createdb|dropdb|uri DIR [NAME]" ;;
esac
