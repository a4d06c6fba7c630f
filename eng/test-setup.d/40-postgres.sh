#!/usr/bin/env bash
# Test prerequisite: PostgreSQL server binaries (initdb, pg_ctl) and a non-root 'postgres' system
# user to run them as. The tests start their own throw-away server (tests/Runtime.Tests/Infrastructure).
# Idempotent: does nothing when both are present. Skipped when MOSS_TEST_POSTGRES names a server.
set -euo pipefail
if [ -n "${MOSS_TEST_POSTGRES:-}" ]; then
  exit 0
fi

have_server_binaries() {
  command -v initdb >/dev/null 2>&1 || compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null
}

if ! have_server_binaries; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "40-postgres: PostgreSQL server binaries are missing; install postgresql-15 (needs root)." >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # postgresql-15 on Debian 12; the distribution's default 'postgresql' elsewhere (15 or later).
  apt-get install -y -qq postgresql-15 || apt-get install -y -qq postgresql
fi

# The server refuses to run as root: tests running as root switch to this user (runuser -u postgres).
if [ "$(id -u)" -eq 0 ] && ! id -u postgres >/dev/null 2>&1; then
  useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/sh postgres
fi
