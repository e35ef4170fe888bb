#!/usr/bin/env bash
# Install what the tests need on a fresh Debian machine (Python 3.11, root) and run them.
# The README's test command and .ci/run both call this script.
set -euo pipefail
cd "$(dirname "$0")/.."

# Headless Chromium for the browser tests of the viewer and the report.
if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
        echo "chromium is missing: install Debian's chromium package (browser tests will be skipped)" >&2
    fi
fi

# Virtuoso for the store tests (tests/export/test_store.py starts its own instance on 127.0.0.1).
scripts/services.sh

python -m pip install -q -e '.[test]'
python -m pytest -q "$@"
