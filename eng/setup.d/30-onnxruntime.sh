#!/usr/bin/env bash
# ONNX Runtime's native library for the engine's ONNX embedder. Microsoft.ML.OnnxRuntime is not on
# the package feed, so the same libonnxruntime.so.1 is taken from npm onnxruntime-node, whose
# bin/napi-v6/linux/x64/ folder carries it. --ignore-scripts: the package's install script would
# try to download CUDA binaries, which this machine neither needs nor can reach.
# Result: $MOSS_NATIVE_DIR/onnxruntime/libonnxruntime.so.1 (what OrtLibrary probes by default) and
# the npm package itself under $MOSS_NATIVE_DIR/npm/onnxruntime (used by the Node reference script).
set -euo pipefail
version="1.30.0"
native="${MOSS_NATIVE_DIR:?run through eng/setup.sh}"
pkg="$native/npm/onnxruntime"
out="$native/onnxruntime"
stamp="$out/.onnxruntime-node-$version"
if [ -f "$stamp" ] && [ -f "$out/libonnxruntime.so.1" ]; then
  exit 0
fi
echo "setup: onnxruntime-node@$version -> $out"
mkdir -p "$pkg" "$out"
npm install --prefix "$pkg" --no-save --no-package-lock --ignore-scripts --no-audit --no-fund \
  "onnxruntime-node@$version" >/dev/null
lib_dir="$pkg/node_modules/onnxruntime-node/bin/napi-v6/linux/x64"
if [ ! -f "$lib_dir/libonnxruntime.so.1" ]; then
  echo "setup: $lib_dir/libonnxruntime.so.1 missing after npm install" >&2
  exit 1
fi
cp -f "$lib_dir"/libonnxruntime.so* "$out/"
rm -f "$out"/.onnxruntime-node-*
touch "$stamp"
