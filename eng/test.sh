#!/usr/bin/env bash
# Runs every test: set-up, test-only prerequisites (eng/test-setup.d/), then the whole solution.
# Tests start what they need themselves (Azurite, silo processes) on 127.0.0.1 and record each child's PID in
# $MOSS_TEST_PIDS; whatever is still running when the run ends (a crashed test host, a hung test) is killed here.
# Ends with one summary line: "Tests: N passed, N failed, N skipped".
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
export MOSS_REPO_ROOT="$root"
export MOSS_NATIVE_DIR="${MOSS_NATIVE_DIR:-$root/.native}"
export MOSS_TEST_PIDS="$MOSS_NATIVE_DIR/test-pids"

stop_test_processes() {
  [ -d "$MOSS_TEST_PIDS" ] || return 0
  for file in "$MOSS_TEST_PIDS"/*; do
    [ -e "$file" ] || continue
    pid="$(basename "$file")"
    if kill -0 "$pid" 2>/dev/null; then
      echo "test.sh: stopping leftover $(cat "$file") (pid $pid)" >&2
      kill -CONT "$pid" 2>/dev/null || true
      kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$file"
  done
}
trap stop_test_processes EXIT
stop_test_processes

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
