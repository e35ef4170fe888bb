#!/usr/bin/env bash
# Install the servers the store tests run against (tests start their own instances on 127.0.0.1):
# - Virtuoso 7 (Debian's virtuoso-opensource); the packaged service is stopped and disabled,
#   since it would listen on every interface. Needs root (apt); otherwise it only says what is missing.
# - oxigraph serve comes from the Python test extras (PyPI 'oxigraph').
# Idempotent: does nothing when the binaries are present.
set -euo pipefail

if command -v virtuoso-t >/dev/null 2>&1 && command -v isql-vt >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" != 0 ]; then
    echo "virtuoso-t is missing: install Debian's virtuoso-opensource (the Virtuoso tests will be skipped)" >&2
    exit 0
fi
start=$(date +%s)
# The package asks for a DBA password: preseed one (the tests never use the packaged database).
echo "virtuoso-opensource-7 virtuoso-opensource-7/dba-password password dba" | debconf-set-selections
echo "virtuoso-opensource-7 virtuoso-opensource-7/dba-password-again password dba" | debconf-set-selections
# No service start during the install (policy-rc.d 101 = "action not allowed").
if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends virtuoso-opensource >/dev/null
# If a service did start anyway (no policy-rc.d support), stop it: it listens on all interfaces.
if command -v service >/dev/null 2>&1; then service virtuoso-opensource-7 stop >/dev/null 2>&1 || true; fi
echo "installed virtuoso-opensource in $(( $(date +%s) - start )) s" >&2
