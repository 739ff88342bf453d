#!/usr/bin/env bash
# Installs the system programs the test suite talks to, when they are missing:
# PostgreSQL server binaries (the suite starts its own throwaway cluster on loopback), dovecot's
# IMAP server (incoming-mail tests start their own on loopback), Chromium (pages and served
# files are tested in headless Chromium through playwright-core) and PgBouncer (the pooler test
# runs two instances through one in transaction mode, started on loopback).
# Needs root and apt (Debian); elsewhere it only says what is missing.
#
# Another apt process (an unattended upgrade, a second test run) may hold the dpkg lock: apt waits
# for it up to OC_APT_LOCK_WAIT seconds (default 300) instead of failing at once. Sourced
# (`source scripts/ensure-test-deps.sh`), it only defines apt_install, so its apt step can be run alone.
set -euo pipefail

lock_wait="${OC_APT_LOCK_WAIT:-300}"

# Installs packages, never upgrading one already installed. The package lists are read first only
# when they do not know a package (a fresh image has none), so a machine with lists installs offline.
apt_install() {
  local apt=(apt-get -o "DPkg::Lock::Timeout=$lock_wait" -y -qq)
  apt-cache show "$@" >/dev/null 2>&1 || "${apt[@]}" update
  DEBIAN_FRONTEND=noninteractive "${apt[@]}" install --no-install-recommends --no-upgrade "$@" >/dev/null
}

if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then return 0; fi

missing=()
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
{ command -v dovecot >/dev/null || [ -x /usr/sbin/dovecot ]; } && [ -x /usr/lib/dovecot/imap ] || missing+=(dovecot-imapd)
command -v chromium >/dev/null || missing+=(chromium)
{ command -v pgbouncer >/dev/null || [ -x /usr/sbin/pgbouncer ]; } || missing+=(pgbouncer)

if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "missing system packages: ${missing[*]} (install them, e.g. apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "installing ${missing[*]}" >&2
apt_install "${missing[@]}"
