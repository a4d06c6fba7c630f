#!/usr/bin/env bash
# Debian's chromium for tests/Console.Tests: Playwright drives it through its ExecutablePath and never downloads a browser.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
echo "test-setup: apt-get install chromium"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q chromium >/dev/null 2>&1 || {
  apt-get update -q >/dev/null
  apt-get install -y -q chromium >/dev/null
}
