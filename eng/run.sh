#!/usr/bin/env bash
# The main job on the embedded default (no external services): set-up, then the quickstart,
# which indexes the SciFact abstracts into an in-process session and answers queries.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bash "$root/eng/setup.sh"
# The sample takes its corpus folder as an argument (an application knows no checkout); default: SciFact beside it.
if [ "$#" -eq 0 ]; then
  set -- "${MOSS_SHARED_DIR:-$root/../shared}/beir/scifact"
fi
exec dotnet run -c Release --project "$root/samples/Quickstart" -- "$@"
