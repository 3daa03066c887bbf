#!/usr/bin/env bash
# Installs the Debian packages instctl needs to build and test, when they are missing.
# Usage: scripts/install-deps.sh [build|test|bench]   (test includes build, bench includes test)
set -euo pipefail

build_pkgs=(
  g++ cmake make pkg-config git ccache
  libcli11-dev libsqlitecpp-dev libsqlite3-dev libcurl4-openssl-dev nlohmann-json3-dev
  libfmt-dev libssl-dev libboost-dev libgtest-dev libpq-dev libmstch-dev
  dpkg-dev file
  clang libclang-rt-14-dev clang-format
)
test_pkgs=(
  sqlite3 postgresql-15 postgresql-client-15 jq openssl python3-aiosmtpd mandoc man-db bash-completion zsh fish systemd time
  chromium nginx caddy
  prometheus  # promtool: the metrics and alert rules checks (test_serve_metrics)
)
bench_pkgs=(wrk)
# npm installs the interop and browser tests' pinned packages, Node.js 22 among them when the
# system's `node` is older (tests/e2e/lib.sh, need_node): Debian's nodejs and npm unless an
# npm is already there (NodeSource's nodejs ships its own and conflicts with Debian's npm).
command -v npm >/dev/null || test_pkgs+=(nodejs npm)

want=("${build_pkgs[@]}")
case "${1:-test}" in
  build) ;;
  test) want+=("${test_pkgs[@]}") ;;
  bench) want+=("${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
  *) echo "usage: scripts/install-deps.sh [build|test|bench]" >&2; exit 2 ;;
esac

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "instctl: installing missing packages: ${missing[*]}" >&2
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then sudo=(sudo); else
    echo "instctl: error: these packages are missing and you are not root: ${missing[*]}" >&2
    echo "instctl: install them with: apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
# Refresh the package lists once if they are empty or older than a day.
if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -1)" ]; then
  "${sudo[@]}" apt-get update -q
fi
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
