#!/usr/bin/env bash
# The Debian package (`make deb`, CPack): its control fields and runtime dependencies, its files
# and their modes, its maintainer scripts, and that apt would install it here with the
# dependencies it declares. Usage: test_deb.sh BUILD_DIR
BUILD=$(realpath "${1:?usage: test_deb.sh BUILD_DIR}")
export INSTCTL_BIN=$BUILD/instctl
source "$(dirname "$0")/../e2e/lib.sh"

# The configuration `make deb` uses, written to a directory of our own.
log=$(cpack --config "$BUILD/CPackConfig.cmake" -G DEB -B "$TMP/pkg" 2>&1) ||
  { echo "cpack failed: $log" >&2; exit 1; }
version=$(sed -n 's/^project(instctl VERSION \([0-9.]*\).*/\1/p' "$SRC/CMakeLists.txt")
arch=$(dpkg --print-architecture)
DEB=$TMP/pkg/instctl_${version}-1_${arch}.deb
[ -f "$DEB" ] || { echo "no $DEB: $(ls "$TMP/pkg")" >&2; exit 1; }

field() { dpkg-deb --field "$DEB" "$1"; }

test_control() {
  assert_eq "$(field Package)" instctl "Package"
  assert_eq "$(field Version)" "$version-1" "Version"
  assert_eq "$(field Architecture)" "$arch" "Architecture"
  assert_eq "$(field Section)" net "Section"
  assert_contains "$(field Maintainer)" "<" "Maintainer has an address"
  assert_contains "$(field Description)" "Mastodon-compatible" "Description"
  # Every library the binary links is declared by its Debian package, with the minimum version
  # dpkg-shlibdeps finds in the package's symbols file (none when every symbol the binary uses
  # is as old as the package itself).
  local depends lib pkg
  depends=$(field Depends)
  for pkg in libc6 libstdc++6 libgcc-s1 libsqlite3-0 libssl3 libcurl4 passwd; do
    assert_contains ", $depends," ", $pkg" "Depends names $pkg"
  done
  local multiarch owners
  multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
  owners=$(dpkg -S $(objdump -p "$BUILD/instctl" | awk -v d="$multiarch" '/NEEDED/ { print "*/" d "/" $2 }'))
  for lib in $(objdump -p "$BUILD/instctl" | awk '/NEEDED/ { print $2 }'); do
    pkg=$(awk -v l="/$lib" 'index($0, l) { sub(/:.*/, ""); print; exit }' <<<"$owners")
    [ -n "$pkg" ] || { fail "no Debian package provides $lib"; continue; }
    if [[ ", $depends," == *", $pkg,"* ]]; then pass; else
      assert_contains ", $depends" ", $pkg (>= " "Depends covers $lib ($pkg)"
    fi
  done
}

test_contents() {
  local listing
  listing=$(dpkg-deb --contents "$DEB")
  # Files only under /usr and /etc, owned by root, never in /usr/local.
  local paths
  paths=$(awk '{ print $6 }' <<<"$listing")
  assert_eq "$(grep -cv -e '^\./usr/' -e '^\./etc/' <<<"$paths")" 0 "only usr/ and etc/"
  assert_eq "$(grep -c '^\./usr/local' <<<"$paths")" 0 "nothing in /usr/local"
  assert_eq "$(awk '$2 != "root/root"' <<<"$listing")" "" "owned by root"
  local want
  for want in "-rwxr-xr-x ./usr/bin/instctl" \
    "-rw-r--r-- ./usr/share/man/man1/instctl.1.gz" \
    "-rw-r--r-- ./usr/share/man/man1/instctl-users.1.gz" \
    "-rw-r--r-- ./usr/share/bash-completion/completions/instctl" \
    "-rw-r--r-- ./usr/share/zsh/vendor-completions/_instctl" \
    "-rw-r--r-- ./usr/share/fish/vendor_completions.d/instctl.fish" \
    "-rw-r--r-- ./usr/lib/systemd/system/instctl.service" \
    "-rw-r--r-- ./usr/lib/systemd/system/instctl-waitlist.timer" \
    "-rw-r--r-- ./usr/lib/systemd/system/instctl-deliver.timer" \
    "-rw-r--r-- ./usr/lib/systemd/system/instctl-subscriptions.timer" \
    "-rw-r--r-- ./usr/lib/sysusers.d/instctl.conf" \
    "-rw-r--r-- ./usr/lib/tmpfiles.d/instctl.conf" \
    "-rw-r--r-- ./etc/default/instctl"; do
    awk '{ print $1, $6 }' <<<"$listing" | grep -qxF -- "$want" && pass || fail "not in the package: $want"
  done
  local page
  for page in "$SRC"/man/*.1; do
    grep -qx "\./usr/share/man/man1/$(basename "$page").gz" <<<"$paths" && pass ||
      fail "man page $(basename "$page") not in the package"
  done
}

# postinst creates the user and directory and reloads systemd; prerm stops the units on
# removal; postrm keeps the data. The settings file is a conffile (kept on upgrade).
test_maintainer_scripts() {
  local ctl=$TMP/control
  dpkg-deb --control "$DEB" "$ctl"
  assert_eq "$(cat "$ctl/conffiles")" "/etc/default/instctl" "conffiles"
  local s
  for s in postinst prerm postrm; do
    [ -x "$ctl/$s" ] && pass || fail "$s missing or not executable"
    sh -n "$ctl/$s" && pass || fail "$s: shell syntax"
  done
  assert_contains "$(cat "$ctl/postinst")" "systemd-sysusers /usr/lib/sysusers.d/instctl.conf" "postinst user"
  assert_contains "$(cat "$ctl/postinst")" "systemd-tmpfiles --create /usr/lib/tmpfiles.d/instctl.conf" "postinst dir"
  assert_contains "$(cat "$ctl/prerm")" "systemctl stop instctl.service" "prerm stops the server"
  assert_not_contains "$(cat "$ctl/postrm")" "rm " "postrm deletes nothing"
  [ -f "$ctl/md5sums" ] && pass || fail "md5sums missing"
}

# The packaged binary runs with the system's libraries, and apt resolves its dependencies.
test_installable() {
  dpkg-deb -x "$DEB" "$TMP/root"
  local out
  out=$("$TMP/root/usr/bin/instctl" --version 2>&1)
  assert_contains "$out" "instctl $version" "packaged instctl --version"
  out=$(apt-get install -s "$DEB" 2>&1)
  assert_eq "$?" 0 "apt-get install -s: $out"
  assert_contains "$out" "Inst instctl ($version-1" "apt would install the package"
}

test_control
test_contents
test_maintainer_scripts
test_installable
finish
