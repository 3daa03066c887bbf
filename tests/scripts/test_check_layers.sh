#!/usr/bin/env bash
# scripts/check_layers.py: the source tree keeps cmake/layers.txt, and the check itself fails
# on each kind of breach, naming the file, the line and the rule.
set -u
source_dir="${INSTCTL_SOURCE_DIR:?}"
script="$source_dir/scripts/check_layers.py"
root=$(mktemp -d); trap 'rm -rf "$root"' EXIT
fails=0
ok() { echo "ok - $1"; }
bad() { echo "not ok - $1"; fails=$((fails + 1)); }
check() {  # check RC PATTERN DESCRIPTION: the check on $root exits RC and prints PATTERN
  local out rc=0
  out=$(python3 "$script" "$root" 2>&1) || rc=$?
  if [ "$rc" -eq "$1" ] && grep -qE -- "$2" <<<"$out"; then ok "$3"; else
    bad "$3 (exit $rc): $out"; fi
}

out=$(python3 "$script" "$source_dir" 2>&1) && ok "the source tree follows cmake/layers.txt" ||
  bad "the source tree follows cmake/layers.txt: $out"

mkdir -p "$root/cmake" "$root/src/instctl/util" "$root/src/instctl/users" "$root/cmd"
cp "$source_dir/cmake/layers.txt" "$root/cmake/layers.txt"
printf '#include "instctl/util/strings.hpp"\n' >"$root/src/instctl/users/user_service.cpp"
printf '#include "instctl/users/user_service.hpp"\n' >"$root/cmd/users.cpp"
check 0 "every include goes down" "includes that go down pass"

printf '#pragma once\n\n#include "instctl/core/error.hpp"\n' >"$root/src/instctl/util/text.hpp"
check 1 '^src/instctl/util/text\.hpp:3: includes instctl/core/, against cmake/layers\.txt \(util may include only: nothing of instctl\)' \
  "an upward include fails, naming the file, the line and the rule"
rm "$root/src/instctl/util/text.hpp"

printf '#include "instctl/http/router.hpp"\n' >"$root/src/instctl/users/user_service.cpp"
check 1 'user_service\.cpp:1: includes instctl/http/.*users may include only: ' \
  "a concept that includes a layer above it fails"
printf '#include "instctl/federation/inbox.hpp"\n' >"$root/src/instctl/users/user_service.cpp"
check 1 'user_service\.cpp:1: includes instctl/federation/' \
  "a concept that includes a concept above it fails"
printf '#include "instctl/nowhere/x.hpp"\n' >"$root/src/instctl/users/user_service.cpp"
check 1 'nowhere is not a directory of the layer table' "an include of an unknown directory fails"
: >"$root/src/instctl/users/user_service.cpp"

printf 'auto sql = "SELECT id FROM accounts WHERE username = ?";\n' \
  >"$root/src/instctl/users/user_service.cpp"
check 1 'user_service\.cpp:1: SQL outside a store' "SQL in a service fails"
mv "$root/src/instctl/users/user_service.cpp" "$root/src/instctl/users/account_store.cpp"
check 0 "every include goes down" "SQL in a store passes"
printf 'db.exec("DELETE FROM invites WHERE id = ?");\n' >"$root/cmd/users.cpp"
check 1 '^cmd/users\.cpp:1: SQL outside a store' "SQL in a command fails"
: >"$root/cmd/users.cpp"

mkdir "$root/src/instctl/gadgets"
check 1 'src/instctl/gadgets/: not placed in cmake/layers\.txt' "a directory the table does not place fails"
rmdir "$root/src/instctl/gadgets"

sed -i 's/^util .*/util          util      users/' "$root/cmake/layers.txt"
check 1 'layers\.txt:[0-9]+: util may include users, which is not on an earlier line' \
  "a table whose order has a cycle fails"

[ "$fails" -eq 0 ]
