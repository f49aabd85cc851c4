#!/usr/bin/env bash
# The handout test opens the slips in headless Chromium. Find one, or install Debian's
# package when we may (root with apt-get, as on CI machines); otherwise say what to do.
set -euo pipefail
for candidate in "${CHROMIUM_PATH:-}" chromium chromium-browser google-chrome google-chrome-stable; do
  [ -n "$candidate" ] && command -v "$candidate" >/dev/null 2>&1 && exit 0
done
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's chromium for the handout test..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "no Chromium found: install it (apt-get install chromium) or set CHROMIUM_PATH" >&2
exit 1
