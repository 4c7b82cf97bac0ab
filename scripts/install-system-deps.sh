#!/usr/bin/env bash
# Installs the system packages Regiomonitor needs, only those that are missing.
#   - PostgreSQL 15 server binaries (initdb, pg_ctl) for the private database
#   - Redis server for the private broker
#   - Pango (WeasyPrint), gettext (translations), poppler-utils (PDF checks)
#   - Debian's Chromium for the browser tests (only with --browser)
# Safe to run repeatedly. Needs root (or sudo) only when something is missing.
set -euo pipefail

want_browser=0
[ "${1:-}" = "--browser" ] && want_browser=1

missing=()
have_pg_bin() {
  command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1
}
have_pg_bin || missing+=(postgresql)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so' || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
fc-list 2>/dev/null | grep -qi dejavu || missing+=(fonts-dejavu-core)
if [ "$want_browser" = 1 ]; then
  [ -x /usr/bin/chromium ] || missing+=(chromium)
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "Installing system packages: ${missing[*]}"
sudo=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "Missing packages (${missing[*]}) and no root/sudo: install them first." >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
# The Debian redis-server package starts a system-wide Redis; we run our own private one.
if printf '%s\n' "${missing[@]}" | grep -qx redis-server; then
  $sudo systemctl disable --now redis-server >/dev/null 2>&1 || $sudo service redis-server stop >/dev/null 2>&1 || true
fi
