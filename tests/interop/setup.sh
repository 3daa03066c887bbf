#!/usr/bin/env bash
# Installs the interop tests' npm packages (exact versions from package-lock.json) into
# tests/interop/node_modules, once. Suites call it before using Node:
#   bash "$SRC/tests/interop/setup.sh" || exit 1
# Needs Node 20 and npm (Debian: nodejs, npm) and the npm registry the first time.
set -euo pipefail
# An optional directory holds another package.json (tests/browser); default: this one.
cd "${1:-$(dirname "$0")}"
stamp=node_modules/.instctl-installed
if [ -f "$stamp" ] && [ "$stamp" -nt package-lock.json ] && [ "$stamp" -nt package.json ]; then
  exit 0
fi
command -v npm >/dev/null || { echo "interop: npm is missing (apt-get install nodejs npm)" >&2; exit 1; }
# A lock so two suites starting at once do not install over each other.
exec 9>.install.lock
flock 9
if [ -f "$stamp" ] && [ "$stamp" -nt package-lock.json ] && [ "$stamp" -nt package.json ]; then
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error >&2
touch "$stamp"
