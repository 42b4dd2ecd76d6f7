#!/usr/bin/env bash
# Run by `mvn verify` before the integration tests: the browser tests drive Debian's chromium through
# its chromedriver, and this installs both (from Debian's repositories) when they are missing and the
# build may install packages. Otherwise it says what to install; the browser tests then fail with the
# same advice. TOLLGATE_CHROMIUM / TOLLGATE_CHROMEDRIVER point the tests at other binaries.
set -euo pipefail
if [ -n "${TOLLGATE_CHROMIUM:-}" ] || { command -v chromium >/dev/null && command -v chromedriver >/dev/null; }; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "[tollgate] The browser tests need Debian's chromium and chromium-driver:" >&2
  echo "[tollgate]   sudo apt-get install -y chromium chromium-driver" >&2
  exit 0
fi
echo "[tollgate] Installing chromium and chromium-driver for the browser tests (apt-get) ..."
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
echo "[tollgate] $(chromium --version 2>/dev/null | tail -1); $(chromedriver --version)"
