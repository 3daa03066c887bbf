#!/usr/bin/env bash
# instctl --version: the version, the git revision it was built from, and the versions of
# SQLite, OpenSSL and libcurl it runs with.
source "$(dirname "$0")/lib.sh"

test_version() {
  ok --version
  local version first second
  first=$(sed -n 1p <<<"$out")
  second=$(sed -n 2p <<<"$out")
  version=$(sed -n 's/^project(instctl VERSION \([0-9.]*\).*/\1/p' "$SRC/CMakeLists.txt")
  assert_contains "$first" "instctl $version (" "version line"
  # The revision: the checkout's HEAD (with -dirty for uncommitted changes) at build time.
  if head=$(git -C "$SRC" rev-parse --short=12 HEAD 2>/dev/null); then
    [[ $first =~ ^instctl\ [0-9.]+\ \(${head}(-dirty)?\)$ ]] && pass ||
      fail "--version names revision '$first', the checkout is at $head"
  fi
  # The libraries actually loaded; on Debian the -dev packages match the runtime ones.
  assert_contains "$second" "SQLite $(pkg-config --modversion sqlite3)" "SQLite version"
  assert_contains "$second" "OpenSSL $(pkg-config --modversion openssl)" "OpenSSL version"
  assert_contains "$second" "libcurl $(pkg-config --modversion libcurl)" "libcurl version"
  # Works without a database and on every level, as the manual says.
  ok --db "$TMP/none.db" --version
  assert_eq "$(sed -n 1p <<<"$out")" "$first" "--version needs no database"
  [ ! -e "$TMP/none.db" ] && pass || fail "--version created a database"
  ok users list --version
  assert_eq "$(sed -n 1p <<<"$out")" "$first" "--version after a group and verb"
}

test_version
finish
