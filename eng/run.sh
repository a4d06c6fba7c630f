#!/usr/bin/env bash
# The main job on the embedded default (no external services): set-up, then the quickstart,
# which indexes the SciFact abstracts into an in-process session and answers queries.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bash "$root/eng/setup.sh"
exec dotnet run -c Release --project "$root/samples/Quickstart" -- "$@"
