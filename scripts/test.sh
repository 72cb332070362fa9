#!/usr/bin/env bash
# Everything the tests need on a fresh Debian machine, then the whole suite: lint, layer contracts, pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v soffice >/dev/null || ! command -v pdftotext >/dev/null; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    libreoffice-calc-nogui poppler-utils fonts-crosextra-carlito >/dev/null
fi
python3 -m pip install -q --disable-pip-version-check -e ".[test]"

# The store's tests run on PostgreSQL too when there is one: Debian's server, a throw-away role and database.
# Skipped (and the PostgreSQL tests with it) when BORDER_REPORTS_TEST_PG_URL is already set or apt fails.
start_postgresql() {
  if ! command -v pg_ctlcluster >/dev/null; then
    as_root apt-get update -qq || return 1
    as_root env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq --no-install-recommends postgresql >/dev/null || return 1
  fi
  local version
  version=$(ls /etc/postgresql | sort -n | tail -1)
  as_root pg_ctlcluster "$version" main start 2>/dev/null || pg_lsclusters | grep -q online || return 1
  as_root su postgres -c "psql -qtc \"SELECT 1 FROM pg_roles WHERE rolname='border'\" | grep -q 1 \
    || psql -qc \"CREATE ROLE border LOGIN PASSWORD 'border'\"" >/dev/null || return 1
  as_root su postgres -c "psql -qtc \"SELECT 1 FROM pg_database WHERE datname='border_reports_test'\" \
    | grep -q 1 || createdb -O border border_reports_test" || return 1
  export BORDER_REPORTS_TEST_PG_URL="postgresql+psycopg://border:border@127.0.0.1:5432/border_reports_test"
}
if [ -z "${BORDER_REPORTS_TEST_PG_URL:-}" ]; then
  start_postgresql || echo "PostgreSQL not available: its store tests are skipped" >&2
fi

ruff check .
ruff format --check .
lint-imports
python3 -m pytest -q "$@"
