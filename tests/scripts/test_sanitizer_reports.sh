#!/usr/bin/env bash
# scripts/sanitizer-reports.sh: which files in a sanitizer log directory fail the run.
set -u
script="${INSTCTL_SOURCE_DIR:?}/scripts/sanitizer-reports.sh"
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
fails=0
expect() { # expect RC DESCRIPTION
  local rc=0; bash "$script" "$dir" >/dev/null 2>&1 || rc=$?
  if [ "$rc" -eq "$1" ]; then echo "ok - $2"; else echo "not ok - $2 (exit $rc)"; fails=$((fails+1)); fi
}
expect 0 "an empty directory passes"
printf '==30364==Unable to get registers from thread 30356.\n' >"$dir/asan.30356"
expect 0 "a process killed during its leak check is not a finding"
printf '==7==Running thread 9 was not suspended. False leaks are possible.\n==7==Unable to get registers from thread 9.\n' >"$dir/asan.7"
expect 0 "a thread the leak check could not stop is not a finding"
printf '==8==Running thread 9 was not suspended. False leaks are possible.\n==8==ERROR: LeakSanitizer: detected memory leaks\n' >"$dir/asan.8"
expect 1 "but a leak reported after it is"
rm "$dir/asan.8" "$dir/asan.7"
printf '==1==ERROR: LeakSanitizer: detected memory leaks\n' >"$dir/asan.1"
expect 1 "a leak report fails"
rm "$dir/asan.1"
printf '==2==Unable to get registers from thread 3.\n==2==ERROR: AddressSanitizer: heap-use-after-free\n' >"$dir/asan.2"
expect 1 "a register line beside a finding still fails"
rm "$dir/asan.2"; : >"$dir/ubsan.4"
expect 0 "an empty file (a process killed between opening its log and writing) is not a finding"
out=$(bash "$script" "$dir" 2>&1)
case $out in *"ubsan.4: killed before"*) echo "ok - but it is listed" ;;
  *) echo "not ok - the empty file is not listed: $out"; fails=$((fails+1)) ;; esac
printf '==4==ERROR: UndefinedBehaviorSanitizer\n' >"$dir/ubsan.5"
expect 1 "and a report beside it still fails"
[ "$fails" -eq 0 ]
