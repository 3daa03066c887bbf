#!/usr/bin/env bash
# Installs the pinned npm packages (exact versions from package-lock.json) of one directory
# into its node_modules, once per checkout. Suites call it through need_node (tests/e2e/lib.sh),
# which also chooses the `node` that runs them:
#   bash tests/interop/setup.sh [DIR]   DIR: tests/interop (default: Fedify 1.5.9),
#                                       tests/interop/fedify2, tests/interop/node, tests/browser
# Needs npm (Debian: npm, with its nodejs; Debian 12's Node 18 is enough to install) and the
# npm registry the first time.
set -euo pipefail
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
