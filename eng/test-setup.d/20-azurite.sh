#!/usr/bin/env bash
# Test-only: Azurite (npm azurite), the Azure Storage emulator the cluster tests run silos against. The tests start
# and stop it themselves (tests/Testing/Azurite.cs) with `node .../azurite.js`, not npx (which leaves wrapper processes).
# It declares node >= 22 but runs on this machine's Node 20 (blob and table services, which are all we use).
set -euo pipefail
version="3.37.0"
native="${MOSS_NATIVE_DIR:?run through eng/test.sh}"
pkg="$native/npm/azurite"
stamp="$pkg/.azurite-$version"
if [ -f "$stamp" ] && [ -f "$pkg/node_modules/azurite/dist/src/azurite.js" ]; then
  exit 0
fi
echo "test-setup: azurite@$version -> $pkg"
mkdir -p "$pkg"
npm install --prefix "$pkg" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "azurite@$version" >/dev/null
rm -f "$pkg"/.azurite-*
touch "$stamp"
