#!/usr/bin/env bash
# One-time, idempotent set-up of everything the build and the embedded default need that does
# not come from NuGet: npm packages into .native/ (git-ignored) and the artefacts built from them.
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
