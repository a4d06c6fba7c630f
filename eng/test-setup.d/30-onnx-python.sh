#!/usr/bin/env bash
# Debian python3-onnx + python3-numpy for eng/tools/tiny-bert/ (the BERT-architecture test models and their
# reference embeddings) and eng/tools/quantize/quantize_dynamic.py (the reference the engine's quantizer is checked against).
# Debian's own python3 is used (/usr/bin/python3), not whatever python3 comes first on PATH.
set -euo pipefail
if /usr/bin/python3 -c "import onnx, numpy" 2>/dev/null; then
  exit 0
fi
echo "test-setup: apt-get install python3-onnx python3-numpy"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q python3-onnx python3-numpy >/dev/null 2>&1 || {
  apt-get update -q >/dev/null
  apt-get install -y -q python3-onnx python3-numpy >/dev/null
}
