#!/usr/bin/env bash
# The main job on the embedded defaults (no external services): set-up, then `moss serve`, a single-node server
# (Localhost clustering, index binaries in ./moss-data) with the SciFact sample indexed once (through a job) and
# loaded. It prints the console URL, an example curl and an example `moss query`; Ctrl+C stops it.
# Argument: a folder holding a BEIR corpus.jsonl (default: SciFact in ../shared). More options: docs/cli.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bash "$root/eng/setup.sh"
sample="${1:-${MOSS_SHARED_DIR:-$root/../shared}/beir/scifact}"
[ -d "$sample" ] && sample="$(cd "$sample" && pwd)"
# Quiet unless the build fails.
if ! build_log="$(dotnet build -c Release "$root/src/Cli" -nologo -v quiet 2>&1)"; then
  printf '%s\n' "$build_log" >&2
  exit 1
fi
# exec: Ctrl+C (SIGINT) and SIGTERM reach the server itself, which stops cleanly.
cd "$root"
exec dotnet "$root/src/Cli/bin/Release/net10.0/moss.dll" serve --sample "$sample" --data "$root/moss-data"
