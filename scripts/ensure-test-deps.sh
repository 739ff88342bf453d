#!/usr/bin/env bash
# Installs the system programs the test suite talks to, when they are missing:
# PostgreSQL server binaries (the suite starts its own throwaway cluster on loopback) and
# dovecot's IMAP server (incoming-mail tests start their own on loopback).
# Needs root and apt (Debian); elsewhere it only says what is missing.
set -euo pipefail

missing=()
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
{ command -v dovecot >/dev/null || [ -x /usr/sbin/dovecot ]; } && [ -x /usr/lib/dovecot/imap ] || missing+=(dovecot-imapd)

if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "missing system packages: ${missing[*]} (install them, e.g. apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "installing ${missing[*]}" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
