#!/usr/bin/env bash
# Test-only: transformers.js (npm @huggingface/transformers), the reference tokenizer the WordPiece tokenizer
# is checked against token for token (eng/tools/tokenizer-fixtures.mjs). Scripts are ignored: the
# tokenizer needs none, and onnxruntime-node's would try to download CUDA binaries.
set -euo pipefail
version="4.3.1"
native="${MOSS_NATIVE_DIR:?run through eng/test.sh}"
pkg="$native/npm/transformers"
stamp="$pkg/.transformers-$version"
if [ -f "$stamp" ]; then
  exit 0
fi
echo "test-setup: @huggingface/transformers@$version -> $pkg"
mkdir -p "$pkg"
npm install --prefix "$pkg" --no-save --no-package-lock --ignore-scripts --no-audit --no-fund \
  "@huggingface/transformers@$version" >/dev/null
rm -f "$pkg"/.transformers-*
touch "$stamp"
