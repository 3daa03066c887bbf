#!/usr/bin/env bash
# Fails, printing them, when the sanitizers wrote any report into DIR (their log_path), so a
# report from a process whose exit status a test does not look at (a server, a command
# expected to fail) still fails the run. Usage: sanitizer-reports.sh DIR
set -u
dir=${1:?usage: sanitizer-reports.sh DIR}
shopt -s nullglob
reports=("$dir"/*)
[ ${#reports[@]} -eq 0 ] && { echo "sanitizers: no reports"; exit 0; }
for r in "${reports[@]}"; do
  echo "==== $r"
  head -n 80 "$r"
done
echo "sanitizers: ${#reports[@]} report(s) in $dir" >&2
exit 1
