#!/usr/bin/env bash
# Fails, printing them, when the sanitizers wrote any report into DIR (their log_path), so a
# report from a process whose exit status a test does not look at (a server, a command
# expected to fail) still fails the run. Usage: sanitizer-reports.sh DIR
#
# One kind of file is not a finding. LeakSanitizer's exit-time check stops every thread of the
# process to read its registers; a thread that is gone by then (a kill test's SIGKILL landing
# during the check) cannot be read, and the check writes "Unable to get registers from thread
# N." (or, for a thread it could not stop at all, "Running thread N was not suspended. False
# leaks are possible.") and goes on. A leak, had it found one, would be written after it; a
# file holding nothing but such lines is listed, not counted. Any other line makes it a report.
# An empty file is the same case earlier still: the sanitizer opens its log file on its first
# line, so a process killed between the open and the first write leaves a file with nothing in
# it, and nothing in it is nothing found.
set -u
dir=${1:?usage: sanitizer-reports.sh DIR}
shopt -s nullglob
killed_in_leak_check() {
  [ ! -s "$1" ] && return 0
  ! grep -qvE '^==[0-9]+==(Unable to get registers from thread [0-9]+\.|Running thread [0-9]+ was not suspended\. False leaks are possible\.)$' "$1"
}
reports=()
for r in "$dir"/*; do
  if killed_in_leak_check "$r"; then
    echo "sanitizers: $r: killed before or during the exit-time leak check, not a finding"
  else
    reports+=("$r")
  fi
done
[ ${#reports[@]} -eq 0 ] && { echo "sanitizers: no reports"; exit 0; }
for r in "${reports[@]}"; do
  echo "==== $r"
  head -n 80 "$r"
done
echo "sanitizers: ${#reports[@]} report(s) in $dir" >&2
exit 1
