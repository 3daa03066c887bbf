#!/usr/bin/env bash
# `make install PREFIX=/usr DESTDIR=...` puts every file where the FHS, bash-completion, zsh,
# fish and systemd expect it; the installed binary, man pages, completions and systemd units
# work from there. Usage: test_install.sh BUILD_DIR
BUILD=$(realpath "${1:?usage: test_install.sh BUILD_DIR}")
export INSTCTL_BIN=$BUILD/instctl
source "$(dirname "$0")/../e2e/lib.sh"
STAGE=$TMP/stage

# The Makefile's own command line, as an admin or a packager types it. MAKEFLAGS from an outer
# `make check` would point at its jobserver, which this make cannot use. `-o build`: install
# the binary the other suites are testing at this moment, never relink it under them (a commit
# since the build changes the revision --version records).
install_log=$(env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
  make -C "$SRC" -o build install BUILD="$BUILD" JOBS=1 PREFIX=/usr DESTDIR="$STAGE" 2>&1)
assert_eq "$?" 0 "make install PREFIX=/usr DESTDIR=$STAGE ($install_log)"

expected_files() {
  echo usr/bin/instctl
  for page in "$SRC"/man/*.1; do echo "usr/share/man/man1/$(basename "$page").gz"; done
  cat <<LIST
usr/share/bash-completion/completions/instctl
usr/share/zsh/vendor-completions/_instctl
usr/share/fish/vendor_completions.d/instctl.fish
usr/lib/systemd/system/instctl.service
usr/lib/systemd/system/instctl-waitlist.service
usr/lib/systemd/system/instctl-waitlist.timer
usr/lib/systemd/system/instctl-deliver.service
usr/lib/systemd/system/instctl-deliver.timer
usr/lib/systemd/system/instctl-subscriptions.service
usr/lib/systemd/system/instctl-subscriptions.timer
usr/lib/sysusers.d/instctl.conf
usr/lib/tmpfiles.d/instctl.conf
etc/default/instctl
usr/share/doc/instctl/README.md
usr/share/doc/instctl/examples/nginx.conf
usr/share/doc/instctl/examples/nginx-replicas.conf
usr/share/doc/instctl/examples/Caddyfile
usr/share/doc/instctl/examples/instctl-alerts.yml
LIST
}

test_layout() {
  local want got
  want=$(expected_files | sort)
  got=$(cd "$STAGE" && find . -type f | sed 's|^\./||' | sort)
  assert_eq "$got" "$want" "files installed under DESTDIR"
  assert_eq "$(stat -c %a "$STAGE/usr/bin/instctl")" 755 "mode of bin/instctl"
  assert_eq "$(stat -c %a "$STAGE/usr/lib/systemd/system/instctl.service")" 644 "mode of the unit"
  # The completion and man page copies are the ones in the source tree.
  cmp -s "$SRC/completions/instctl.bash" "$STAGE/usr/share/bash-completion/completions/instctl" &&
    pass || fail "installed bash completion differs from completions/instctl.bash"
  zcat "$STAGE/usr/share/man/man1/instctl-users.1.gz" | cmp -s - "$SRC/man/instctl-users.1" &&
    pass || fail "installed instctl-users.1.gz differs from man/instctl-users.1"
}

test_binary_and_manual() {
  local out
  out=$("$STAGE/usr/bin/instctl" --version)
  assert_contains "$out" "instctl $(sed -n 's/^project(instctl VERSION \([0-9.]*\).*/\1/p' "$SRC/CMakeLists.txt")" "installed --version"
  # man finds every page by name in the installed tree, and renders it.
  local page name
  for page in "$SRC"/man/*.1; do
    name=$(basename "$page" .1)
    out=$(MANPATH=$STAGE/usr/share/man man -w "$name" 2>&1)
    assert_eq "$out" "$STAGE/usr/share/man/man1/$name.1.gz" "man -w $name"
  done
  out=$(MANPATH=$STAGE/usr/share/man MANWIDTH=80 man instctl-users 2>/dev/null)
  assert_contains "$out" "instctl-users - create, list" "man instctl-users renders"
}

# Each shell finds the completion by its installed location, with no configuration.
test_completion_locations() {
  local out
  out=$(XDG_DATA_DIRS=$STAGE/usr/share bash -c \
    'source /usr/share/bash-completion/bash_completion; __load_completion instctl; complete -p instctl' 2>&1)
  assert_eq "$out" "complete -F _instctl instctl" "bash-completion loads the installed file"
  # fish loads completions only for commands on PATH.
  out=$(PATH=$STAGE/usr/bin:$PATH XDG_DATA_DIRS=$STAGE/usr/share fish -c 'complete -C "instctl us"' 2>&1)
  assert_contains "$out" "users" "fish loads the installed file"
  # Debian's zsh searches /usr/share/zsh/vendor-completions; the file is there under the prefix.
  out=$(zsh -fc 'print -l $fpath')
  assert_contains "$out" "/usr/share/zsh/vendor-completions" "zsh's fpath"
  local zfn=/usr/share/zsh/functions/Completion  # compinit itself, without scanning every dir
  out=$(zsh -fc "fpath=($STAGE/usr/share/zsh/vendor-completions $zfn $zfn/Base); autoload -Uz compinit; compinit -u -D; print \$_comps[instctl]")
  assert_eq "$out" "_instctl" "compinit registers _instctl from vendor-completions"
}

# The units name the installed binary and the settings file of the prefix, pass
# `systemd-analyze verify`, and their sandboxing rates as OK.
test_systemd_units() {
  local units=$STAGE/usr/lib/systemd/system unit out
  assert_contains "$(cat "$units/instctl.service")" "ExecStart=/usr/bin/instctl serve" "serve unit"
  assert_contains "$(cat "$units/instctl.service")" "EnvironmentFile=-/etc/default/instctl" "settings file"
  for unit in instctl instctl-waitlist instctl-deliver instctl-subscriptions; do
    for setting in User=instctl ProtectSystem=strict NoNewPrivileges=yes PrivateTmp=yes \
      ReadWritePaths=/var/lib/instctl Environment=INSTCTL_DB=/var/lib/instctl/instance.db; do
      grep -qx -- "$setting" "$units/$unit.service" && pass || fail "$unit.service lacks $setting"
    done
  done
  # serve notifies systemd (sd_notify): readiness, and the watchdog while /health/ready passes.
  for setting in Type=notify NotifyAccess=main WatchdogSec=30s; do
    grep -qx -- "$setting" "$units/instctl.service" && pass || fail "instctl.service lacks $setting"
  done
  assert_contains "$(cat "$units/instctl-waitlist.service")" "instctl waitlist process --batch" "waitlist unit"
  assert_contains "$(cat "$units/instctl-deliver.service")" "instctl federation deliver --limit" "deliver unit"
  assert_contains "$(cat "$units/instctl-subscriptions.service")" "instctl federation subscriptions refresh" "subscriptions unit"
  # verify needs ExecStart to exist: install again under a real prefix.
  local prefix=$TMP/prefix
  out=$(cmake --install "$BUILD" --prefix "$prefix" 2>&1) || fail "cmake --install --prefix: $out"
  units=$prefix/lib/systemd/system
  assert_contains "$(cat "$units/instctl.service")" "ExecStart=$prefix/bin/instctl serve" "unit under another prefix"
  assert_contains "$(cat "$units/instctl.service")" "EnvironmentFile=-$prefix/etc/default/instctl" "settings under another prefix"
  out=$(systemd-analyze verify --man=no "$units"/*.service "$units"/*.timer 2>&1)
  assert_eq "$out" "" "systemd-analyze verify"
  for unit in instctl instctl-waitlist instctl-deliver instctl-subscriptions; do
    out=$(systemd-analyze security --offline=true --threshold=20 "$units/$unit.service" 2>&1 | tail -1)
    assert_contains "$out" "Overall exposure level for $unit.service: 1." "systemd-analyze security $unit"
  done
  # A reinstall keeps the admin's settings.
  echo "INSTCTL_WAITLIST_BATCH=50" >>"$prefix/etc/default/instctl"
  cmake --install "$BUILD" --prefix "$prefix" >/dev/null 2>&1
  assert_contains "$(cat "$prefix/etc/default/instctl")" "INSTCTL_WAITLIST_BATCH=50" "settings kept on reinstall"
}

# The sysusers and tmpfiles snippets make the instctl user and its private database directory.
test_user_and_state_dir() {
  local out
  out=$(systemd-sysusers --root="$STAGE" 2>&1) || fail "systemd-sysusers: $out"
  out=$(getent -s files passwd instctl 2>/dev/null; grep '^instctl:' "$STAGE/etc/passwd")
  assert_contains "$out" ":/var/lib/instctl:/usr/sbin/nologin" "instctl user from sysusers.d"
  if [ "$(id -u)" -ne 0 ]; then return; fi  # tmpfiles needs root to chown
  out=$(systemd-tmpfiles --root="$STAGE" --create 2>&1) || fail "systemd-tmpfiles: $out"
  assert_eq "$(stat -c '%a' "$STAGE/var/lib/instctl")" 750 "mode of /var/lib/instctl"
  local uid
  uid=$(awk -F: '$1 == "instctl" { print $3 }' "$STAGE/etc/passwd")
  assert_eq "$(stat -c '%u' "$STAGE/var/lib/instctl")" "$uid" "owner of /var/lib/instctl"
}

test_layout
test_binary_and_manual
test_completion_locations
test_systemd_units
test_user_and_state_dir
finish
