#!/usr/bin/env bash
# Set up what is missing (system libraries, .venv, test dependencies), then run the tests.
# Extra arguments go to pytest, e.g.: scripts/test.sh tests/twin -k ring
set -euo pipefail
root_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Servers and tools the test suite uses on 127.0.0.1 (skipped locally when missing).
export TWINDECK_EXTRA_APT="${TWINDECK_EXTRA_APT:-postgresql mosquitto nsis binutils poppler-utils}"
bash "$root_dir/scripts/setup.sh" test
cd "$root_dir"
# One worker per core (a file's tests stay together: their fixtures are built once).
exec "$root_dir/.venv/bin/python" -m pytest -n "${TWINDECK_TEST_WORKERS:-auto}" --dist loadfile "$@"
