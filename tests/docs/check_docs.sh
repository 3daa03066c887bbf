#!/usr/bin/env bash
# The manual and the completions must match the binary:
# - every command and option in the command tree appears in the group's man page
#   (man/instctl-GROUP.1, or man/instctl.1 for groups without a page of their own);
# - completions/ are what `make completions` generates from this binary;
# - every man page passes mandoc's lint and renders under man --warnings without warnings.
set -u
BIN=${1:?usage: check_docs.sh path/to/instctl}
SRC=${INSTCTL_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

# Man page text with roff escapes for hyphens and fonts removed.
page_text() { sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\&//g' "$1"; }

page_for() {
  local group=$1
  if [ -f "$SRC/man/instctl-$group.1" ]; then echo "$SRC/man/instctl-$group.1"; else echo "$SRC/man/instctl.1"; fi
}

declare -A texts
text_of() {
  local page=$1
  if [ -z "${texts[$page]+x}" ]; then texts[$page]=$(page_text "$page"); fi
  printf '%s' "${texts[$page]}"
}

tree=$("$BIN" __complete tree) || { echo "FAIL: $BIN __complete tree failed" >&2; exit 1; }
# Tabs are whitespace to `read`, which would merge the empty root path away: use '|'.
while IFS='|' read -r kind path name _; do

  group=${path%% *}
  if [ -z "$path" ]; then page="$SRC/man/instctl.1"; else page=$(page_for "$group"); fi
  case $kind in
    cmd)
      [ -n "$path" ] || continue
      verb=${path##* }
      if ! text_of "$page" | grep -qw -- "$verb"; then
        fail "command '$path' is not in $(basename "$page")"
      fi
      ;;
    opt)
      case $name in --help | -h) continue ;; esac
      if ! text_of "$page" | grep -qF -- "$name"; then
        fail "option '$name' of '${path:-instctl}' is not in $(basename "$page")"
      fi
      ;;
  esac
done < <(printf '%s\n' "$tree" | tr '\t' '|')

for shell in bash zsh fish; do
  case $shell in bash) file=instctl.bash ;; zsh) file=_instctl ;; fish) file=instctl.fish ;; esac
  if ! "$BIN" __complete $shell | cmp -s - "$SRC/completions/$file"; then
    fail "completions/$file is stale or missing: run 'make completions' and commit the result"
  fi
done

for page in "$SRC"/man/*.1; do
  lint=$(mandoc -T lint -W warning "$page" 2>&1)
  [ -z "$lint" ] || fail "mandoc lint: $lint"
  warnings=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
  [ -z "$warnings" ] || fail "man --warnings $(basename "$page"): $warnings"
done

if [ "$fails" -gt 0 ]; then
  echo "check_docs: $fails problem(s)" >&2
  exit 1
fi
echo "check_docs: manual and completions match the binary"
