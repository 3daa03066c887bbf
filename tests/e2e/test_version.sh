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

# libcurl is loaded when first needed. Without it, the commands that need no network still
# work, and those that do say what to install.
test_without_libcurl() {
  mkdir -p "$TMP/nolib"
  : >"$TMP/nolib/libcurl.so.4"  # not a library: dlopen fails as it would with none
  LD_LIBRARY_PATH=$TMP/nolib run --version
  assert_eq "$rc" 0 "--version without libcurl"
  assert_contains "$out" "libcurl not available" "--version says libcurl is missing"
  ok init --domain nolib.example
  LD_LIBRARY_PATH=$TMP/nolib run users create ada --email ada@nolib.example
  assert_eq "$rc" 0 "a local command without libcurl: $err"
  ok config set federation.allow_private_addresses true
  LD_LIBRARY_PATH=$TMP/nolib run federation lookup ada@127.0.0.1:9
  assert_eq "$rc" 1 "an outbound fetch without libcurl"
  assert_contains "$err" "libcurl4" "the error names the package to install"
}

# libcrypto (OpenSSL) too is loaded at its first use: a command that hashes, signs and verifies
# nothing runs without it (and without the cost of loading it), and one that needs it says
# what to install and writes nothing.
test_without_libcrypto() {
  mkdir -p "$TMP/nocrypto"
  : >"$TMP/nocrypto/libcrypto.so.3"  # not a library: dlopen fails as it would with none
  local db=$TMP/nocrypto.db
  LD_LIBRARY_PATH=$TMP/nocrypto run --version
  assert_eq "$rc" 0 "--version without libcrypto"
  assert_contains "$out" "OpenSSL not available" "--version says OpenSSL is missing"
  ok --db "$db" init --domain nocrypto.example
  ok --db "$db" users create ada --email ada@nocrypto.example
  LD_LIBRARY_PATH=$TMP/nocrypto run --db "$db" users modify ada --display-name "Ada L."
  assert_eq "$rc" 0 "a command that needs no OpenSSL runs without it: $err"
  ok --db "$db" users show ada --json
  assert_eq "$(jq -r .display_name <<<"$out")" "Ada L." "and did its work"
  LD_LIBRARY_PATH=$TMP/nocrypto run --db "$db" users create bea --email bea@nocrypto.example
  assert_eq "$rc" 1 "a command that needs OpenSSL, without it"
  assert_contains "$err" "cannot load libcrypto.so.3" "the error names the library"
  assert_contains "$err" "libssl3" "and the package to install"
  run --db "$db" users show bea
  assert_eq "$rc" 3 "the failed command wrote nothing"
  # With the library there, a command loads it only when it needs it.
  LD_DEBUG=files "$BIN" --db "$db" users modify ada --display-name Ada >/dev/null 2>"$TMP/ld.txt"
  grep -q libcrypto "$TMP/ld.txt" && fail "users modify loaded libcrypto" || pass
  LD_DEBUG=files "$BIN" --db "$db" users create cy --email cy@nocrypto.example >/dev/null \
    2>"$TMP/ld.txt"
  grep -q 'file=libcrypto.so.3' "$TMP/ld.txt" && pass ||
    fail "users create (its activation token's digest) did not load libcrypto"
}

test_version
test_without_libcurl
test_without_libcrypto
finish
