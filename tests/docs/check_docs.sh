#!/usr/bin/env bash
# The manual and the completions must match the binary:
# - the command tree (`instctl __complete tree`) is what `--help` shows, command by command;
# - every group with verbs has its page, man/instctl-GROUP.1 (single commands such as init and
#   stats are in instctl(1)), and every command and option appears in its page;
# - every page has the sections NAME, SYNOPSIS, DESCRIPTION, OPTIONS, EXIT STATUS, ENVIRONMENT,
#   FILES, EXAMPLES and SEE ALSO, in this order, a .TH naming the page, SEE ALSO entries that
#   exist, and no option the binary does not have;
# - instctl(1) refers to every group page; the manual's examples include a crontab line, a bulk
#   import from a CSV file and a moderation session;
# - completions/ are what `make completions` generates from this binary, and every command and
#   option is in each completion file;
# - every page passes mandoc's lint and renders under man --warnings without warnings.
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

# Words (and --options) of a file, looked up without a process per check: has FILE WORD.
declare -A words
load_words() {
  local file=$1 w
  while IFS= read -r w; do words["$file|$w"]=1; done < <(grep -oE -- '-{0,2}[A-Za-z0-9_][A-Za-z0-9_.-]*' <<<"$2" | sort -u)
}
has() { [ -n "${words["$1|$2"]+x}" ]; }

tree=$("$BIN" __complete tree) || { echo "FAIL: $BIN __complete tree failed" >&2; exit 1; }
# Tabs are whitespace to `read`, which would merge the empty root path away: use '|'.
tree_rows=$(printf '%s\n' "$tree" | tr '\t' '|')
tree_rows() { printf '%s\n' "$tree_rows"; }
known_options=$(tree_rows | awk -F'|' '$1 == "opt" { print $3 }' | sort -u)

# What `instctl PATH --help` lists for every command: "PATH|opt NAME" (long names) and
# "PATH|sub NAME" lines, sorted; and the same from the tree.
help_items() {
  local path
  while IFS='|' read -r kind path _; do
    [ "$kind" = cmd ] || continue
    echo "@@$path"
    # shellcheck disable=SC2086
    "$BIN" $path --help
  done < <(tree_rows) | awk '
    /^@@/ { path = substr($0, 3); next }
    /^[A-Za-z].*:$/ { section = $0; next }
    section == "Options:" && match($0, /^  (-[a-zA-Z],)?--[a-z0-9-]+/) {
      name = substr($0, RSTART, RLENGTH); sub(/^ *(-[a-zA-Z],)?/, "", name); print path "|opt " name }
    section == "Subcommands:" && /^  [a-z]/ { print path "|sub " $1 }' | sort
}
tree_items() {
  tree_rows | awk -F'|' '
    $1 == "opt" { print $2 "|opt " $3 }
    $1 == "cmd" && $2 != "" { n = split($2, w, " "); parent = n == 1 ? "" : substr($2, 1, length($2) - length(w[n]) - 1)
                              print parent "|sub " w[n] }' | sort
}

check_help() {
  local diffs
  diffs=$(diff <(tree_items) <(help_items) | grep '^[<>]')
  [ -z "$diffs" ] || fail "--help and the command tree differ (< tree, > --help): $(echo $diffs)"
}

check_coverage() {
  local kind path name group page verb
  for page in "$SRC"/man/*.1; do load_words "$page" "$(text_of "$page")"; done
  while IFS='|' read -r kind path name _; do
    group=${path%% *}
    if [ -z "$path" ]; then page="$SRC/man/instctl.1"; else page=$(page_for "$group"); fi
    case $kind in
      cmd)
        [ -n "$path" ] || continue
        verb=${path##* }
        has "$page" "$verb" || fail "command '$path' is not in $(basename "$page")"
        # A group with verbs has a page of its own.
        if [ "$path" = "$group" ] && [[ $tree_rows == *"cmd|$group "* ]]; then
          [ -f "$SRC/man/instctl-$group.1" ] || fail "the group '$group' has no page: write man/instctl-$group.1"
        fi
        ;;
      opt)
        case $name in --help | -h) continue ;; esac
        has "$page" "$name" || fail "option '$name' of '${path:-instctl}' is not in $(basename "$page")"
        ;;
    esac
  done < <(tree_rows)
}

k_sections="NAME SYNOPSIS DESCRIPTION OPTIONS EXIT_STATUS ENVIRONMENT FILES EXAMPLES SEE_ALSO"

check_page_structure() {
  local page=$1 name sections want_title found o
  name=$(basename "$page" .1)
  # The required sections, in order; other sections may come between them.
  sections=$(sed -n 's/^\.SH "\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$page" | tr ' ' '_' | tr '\n' ' ')
  found=$(for s in $sections; do [[ " $k_sections " == *" $s "* ]] && echo "$s"; done | xargs)
  [ "$found" = "$k_sections" ] ||
    fail "$(basename "$page"): sections are '$found'; expected, in order: $k_sections"
  want_title=$(echo "$name" | tr 'a-z' 'A-Z' | sed 's/-/\\\\-/g')
  grep -q "^\.TH $want_title 1 " "$page" || fail "$(basename "$page"): .TH should name $want_title, section 1"
  # SEE ALSO names pages that exist.
  for o in $(sed -n '/^\.SH SEE ALSO/,$p' "$page" | page_text /dev/stdin | grep -o 'instctl[a-z-]*' | sort -u); do
    [ -f "$SRC/man/$o.1" ] || fail "$(basename "$page"): SEE ALSO names $o(1), which does not exist"
  done
  # Every option the page mentions exists.
  for o in $(comm -23 <(text_of "$page" | grep -o -- '--[a-z][a-z0-9-]*' | sort -u) <(echo "$known_options")); do
    fail "$(basename "$page") mentions $o, which no command has"
  done
}

check_manual() {
  local page g
  for page in "$SRC"/man/*.1; do check_page_structure "$page"; done
  for page in "$SRC"/man/instctl-*.1; do
    g=$(basename "$page" .1)
    sed -n '/^\.SH SEE ALSO/,$p' "$SRC/man/instctl.1" | page_text /dev/stdin | grep -qw -- "$g" ||
      fail "instctl.1: SEE ALSO does not name $g(1)"
  done
  local all
  all=$(cat "$SRC"/man/*.1 | page_text /dev/stdin)
  grep -Eq '^[0-9*/,-]+ +[0-9*/,-]+ +[0-9*/,-]+ +[0-9*/,-]+ +[0-9*/,-]+ +.*instctl ' <<<"$all" ||
    fail "no example shows a crontab line"
  grep -Eq 'instctl .*import [^ ]+\.csv' <<<"$all" || fail "no example imports a CSV file"
  grep -Eq 'instctl .*reports resolve ' <<<"$all" || fail "no example shows a moderation session"
}

check_completions() {
  local shell file kind path name
  for shell in bash zsh fish; do
    case $shell in bash) file=instctl.bash ;; zsh) file=_instctl ;; fish) file=instctl.fish ;; esac
    if ! "$BIN" __complete $shell | cmp -s - "$SRC/completions/$file"; then
      fail "completions/$file is stale or missing: run 'make completions' and commit the result"
      continue
    fi
    load_words "$file" "$(cat "$SRC/completions/$file")"
    while IFS='|' read -r kind path name _; do
      case $kind in
        cmd) [ -n "$path" ] && name=${path##* } || continue ;;
        opt) [ "$shell" = fish ] && name=${name#--} && name=${name#-} ;;  # fish: -l NAME, -s N
        *) continue ;;
      esac
      has "$file" "$name" || fail "completions/$file lacks '$name' of '${path:-instctl}'"
    done < <(tree_rows)
  done
}

check_render() {
  local page lint warnings
  for page in "$SRC"/man/*.1; do
    lint=$(mandoc -T lint -W warning "$page" 2>&1)
    [ -z "$lint" ] || fail "mandoc lint: $lint"
    warnings=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
    [ -z "$warnings" ] || fail "man --warnings $(basename "$page"): $warnings"
  done
}

check_help
check_coverage
check_manual
check_completions
check_render

if [ "$fails" -gt 0 ]; then
  echo "check_docs: $fails problem(s)" >&2
  exit 1
fi
echo "check_docs: manual and completions match the binary"
