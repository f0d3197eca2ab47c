#!/usr/bin/env bash
# ruff (check and format) on the Python code, pylint-odoo's mandatory checks
# (the OCA 18.0 configuration, .pylintrc-mandatory) on the addon.
set -euo pipefail
source "$(dirname "$0")/env.sh"
"$ROOT/scripts/prepare.sh" >/dev/null
cd "$ROOT"
"$VENV/bin/ruff" check --no-fix dataprotect tests scripts
"$VENV/bin/ruff" format --check dataprotect tests scripts
"$VENV/bin/python" -m pylint --rcfile=.pylintrc-mandatory dataprotect
echo "lint: ok"
