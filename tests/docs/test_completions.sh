#!/usr/bin/env bash
# The generated completions, loaded into real bash (with bash-completion), zsh (its completion
# system, in a pseudo-terminal) and fish, offer the same, right things for a set of command
# lines: commands, options, fixed choices, files, and values asked from the database through
# `instctl __complete values` (users, pending users, settings and their values, rules, open and
# resolved reports, active invite codes, waitlist entries, blocked email domains, blocked and
# allowed domains), honouring --db.
# Usage: test_completions.sh path/to/instctl
export INSTCTL_BIN=${1:-${INSTCTL_BIN:-}}
source "$(dirname "$0")/../e2e/lib.sh"
PATH=$(dirname "$(realpath "$BIN")"):$PATH  # the scripts call `instctl`
COMP=$TMP/completions
mkdir -p "$COMP" "$TMP/work/notes" && touch "$TMP/work/backup-1.db"
"$BIN" __complete bash >"$COMP/instctl.bash"
"$BIN" __complete zsh >"$COMP/_instctl"
"$BIN" __complete fish >"$COMP/instctl.fish"

setup_instance() {
  new_instance
  local u
  for u in grace alan olduser; do "$BIN" -q users create $u --email $u@example.com >/dev/null; done
  "$BIN" -q -y users delete olduser >/dev/null
  "$BIN" -q rules add "Be kind" >/dev/null
  "$BIN" -q rules add "No spam" >/dev/null
  "$BIN" -q reports create --target alan --category spam >/dev/null           # 1: open
  "$BIN" -q reports create --target grace --category other >/dev/null         # 2: resolved
  "$BIN" -q reports resolve 2 >/dev/null
  active_code=$("$BIN" --json invites create | jq -r .code)
  revoked_code=$("$BIN" --json invites create | jq -r .code)
  "$BIN" -q invites revoke "$revoked_code" >/dev/null
  "$BIN" -q waitlist add wait@example.com >/dev/null
  "$BIN" -q waitlist add admitted@example.com >/dev/null
  "$BIN" -q waitlist admit admitted@example.com >/dev/null
  admitted_code=$("$BIN" --json waitlist show admitted@example.com | jq -r .invite_code)
  "$BIN" -q email-blocks add spam.example >/dev/null
  "$BIN" -q suggestions add alan >/dev/null
  "$BIN" -q users create pia --email pia@example.com --pending >/dev/null
  "$BIN" -q federation block blocked.example >/dev/null
  "$BIN" -q federation allow allowed.example >/dev/null
  "$BIN" -q init --domain other.example --admin zed --admin-email zed@example.com \
    --db "$TMP/other.db" >/dev/null
}

# Each shell runs once for every command line of the cases: for each line, the offered
# completions one a line, then "<end>".
complete_bash() {
  bash --norc --noprofile -c '
    source /usr/share/bash-completion/bash_completion
    source "$1"; shift
    for line in "$@"; do
      # Split as readline does: words at blanks, and "--opt=value" into "--opt" "=" "value".
      words=()
      for w in $line; do
        if [[ $w == -*=* ]]; then
          words+=("${w%%=*}" "="); [[ -n ${w#*=} ]] && words+=("${w#*=}")
        else
          words+=("$w")
        fi
      done
      [[ $line == *" " ]] && words+=("")
      COMP_WORDS=("${words[@]}") COMP_CWORD=$((${#words[@]} - 1)) COMP_LINE=$line COMP_POINT=${#line}
      COMPREPLY=()
      _instctl
      printf "%s\n" "${COMPREPLY[@]}" "<end>"
    done' bash "$COMP/instctl.bash" "$@"
}
complete_zsh() { timeout 120 zsh -f "$SRC/tests/docs/zsh_complete.zsh" "$COMP" "$@"; }
complete_fish() {
  fish --no-config -c 'source $argv[1]; for line in $argv[2..]; complete -C "$line" | cut -f1; echo "<end>"; end' \
    "$COMP/instctl.fish" "$@"
}

# The cases: offers LINE EXPECTED... (exactly these, in any order) and offers_some LINE
# EXPECTED... (at least these) are collected first, then checked against every shell.
case_lines=() case_wants=() case_modes=()
offers() { case_lines+=("$1"); shift; case_wants+=("$(printf '%s\n' "$@" | sort | xargs)"); case_modes+=(exact); }
offers_some() { case_lines+=("$1"); shift; case_wants+=("$*"); case_modes+=(some); }

# Directories may carry a trailing slash; fish repeats "--opt=" before a value completed in the
# same word.
normalise() { sed -e 's|/$||' -e 's|^--[a-z-]*=||' -e '/^$/d'; }

check_shell() {
  local shell=$1 i=0 got=() line want w
  while IFS= read -r line; do
    if [ "$line" = "<end>" ]; then got+=("${block:-}"); block=""; else block+="$line"$'\n'; fi
  done < <(cd "$TMP/work" && "complete_$shell" "${case_lines[@]}")
  for ((i = 0; i < ${#case_lines[@]}; i++)); do
    line=${case_lines[i]} want=${case_wants[i]}
    local offered
    offered=$(printf '%s' "${got[i]:-}" | normalise | sort | xargs)
    if [ "${case_modes[i]}" = exact ]; then
      assert_eq "$offered" "$want" "$shell: completions of '$line'"
    else
      for w in $want; do
        [[ " $offered " == *" $w "* ]] && pass || fail "$shell: '$line' does not offer '$w': $offered"
      done
      [[ " $offered " == *" __complete "* ]] && fail "$shell: the hidden command is offered" || pass
    fi
  done
}

test_commands() {
  local groups
  groups=$("$BIN" __complete tree | awk -F'\t' '$1 == "cmd" && $2 ~ /^[a-z-]+$/ { print $2 }')
  offers "instctl " $groups
  offers_some "instctl " users
  offers "instctl us" users
  offers "instctl users sus" suspend
  offers "instctl --json -q users sus" suspend
  offers "instctl rules " list add remove
}

test_options() {
  offers "instctl users create --dis" --display-name
  offers "instctl --j" --json
  offers "instctl users list --json --li" --limit
  offers_some "instctl users list --" --role --status --search --limit --after --db --format --json --quiet
  offers "instctl --format " table json ndjson csv prometheus
  offers "instctl --format=nd" ndjson
  offers "instctl users list --status s" suspended silenced
  offers "instctl reports resolve 1 --action " none warn disable silence suspend
  offers "instctl users create --email "            # free text: nothing, not files
  offers "instctl reports note 1 "
}

test_files() {
  offers "instctl db backup " backup-1.db notes
  offers "instctl db backup b" backup-1.db
  offers "instctl --db " backup-1.db notes
  offers "instctl db copy --to b" backup-1.db
}

test_database_values() {
  offers "instctl users suspend " ada alan grace pia     # deleted accounts are not offered
  offers "instctl users suspend g" grace
  offers "instctl users approve " pia               # pending users only
  offers "instctl users approve pia " pia            # USER... repeats
  offers "instctl users reject " pia
  offers "instctl users suspend alan --as " ada alan grace pia
  offers "instctl reports list --assigned-to a" ada alan
  offers "instctl reports assign 1 --to a" ada alan
  offers "instctl config get registrations." registrations.mode registrations.require_reason
  offers "instctl config set registrations.mode " open approval invite closed  # the key's values
  offers "instctl config set registrations.mode a" approval
  offers "instctl config set waitlist.enabled " true false
  offers "instctl config set instance.title "        # free text: nothing
  offers "instctl federation unblock " blocked.example  # blocked domains only
  offers "instctl federation disallow " allowed.example
  offers "instctl rules remove " 1 2
  offers "instctl reports create --target alan --rule " 1 2
  offers "instctl reports resolve " 1                # open reports only
  offers "instctl reports reopen " 2                 # resolved reports only
  # Active invites: the admission's too, not the revoked one.
  offers "instctl invites show " "$active_code" "$admitted_code"
  offers "instctl invites revoke " "$active_code" "$admitted_code"
  offers "instctl users create x --email x@example.com --invite " "$active_code" "$admitted_code"
  offers "instctl invites list --status " active expired exhausted revoked all
  offers "instctl waitlist show " wait@example.com admitted@example.com
  offers "instctl waitlist admit " wait@example.com  # waiting entries only
  offers "instctl waitlist list --status r" rejected
  offers "instctl email-blocks remove " spam.example
  offers "instctl suggestions remove " alan          # suggested users only
  offers "instctl --db $TMP/other.db users show " zed
  offers "instctl users show --db $TMP/other.db " zed
  offers "instctl --db=$TMP/other.db users show " zed
}

# The hidden command itself: what the scripts call, and its errors.
test_values_command() {
  ok __complete values users
  assert_eq "$(echo $out)" "ada grace alan pia" "values users, oldest first"
  ok __complete values users a
  assert_eq "$(echo $out)" "ada alan" "values users with a prefix"
  ok __complete values config-values "" registrations.mode
  assert_eq "$(echo $out)" "open approval invite closed" "a setting's values, from the word before"
  ok __complete values pending-users
  assert_eq "$(echo $out)" "pia" "pending users only"
  expect 2 __complete values nonsense
  assert_contains "$err" "the kinds are: users, config-keys" "unknown kind names the kinds"
  expect 2 __complete values
  expect 1 --db "$TMP/missing.db" __complete values users
  [ ! -e "$TMP/missing.db" ] && pass || fail "completing created a database"
  ok --help
  assert_not_contains "$out" "__complete" "hidden from --help"
}

setup_instance
test_values_command
test_commands
test_options
test_files
test_database_values
for shell in bash zsh fish; do check_shell $shell; done
finish
