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

ruff check .
ruff format --check .
lint-imports
python3 -m pytest -q "$@"
