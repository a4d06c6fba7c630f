#!/usr/bin/env bash
# Runs every test: set-up, test-only prerequisites (eng/test-setup.d/), then the whole solution.
# Tests start what they need themselves (a throw-away PostgreSQL, silo processes) on 127.0.0.1.
# Ends with one summary line: "Tests: N passed, N failed, N skipped".
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
export MOSS_REPO_ROOT="$root"
export MOSS_NATIVE_DIR="${MOSS_NATIVE_DIR:-$root/.native}"
bash "$root/eng/setup.sh"
for step in "$root"/eng/test-setup.d/*.sh; do
  [ -e "$step" ] || continue
  bash "$step"
done
results="$root/.native/test-results"
rm -rf "$results"
status=0
dotnet test "$root/MossGrains.sln" -c Release --logger "trx" --results-directory "$results" "$@" || status=$?
python3 "$root/eng/trx-summary.py" "$results"
exit $status
