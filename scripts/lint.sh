#!/usr/bin/env bash
# ruff (check and format, .ruff.toml) on the Python code and pylint-odoo's
# mandatory checks (OCA 18.0's .pylintrc-mandatory) on the addon.
set -euo pipefail
source "$(dirname "$0")/env.sh"
bash "$ROOT/scripts/prepare.sh"
cd "$ROOT"
dirs=()
for d in dataprotect tests scripts bench; do [ -d "$d" ] && dirs+=("$d"); done
"$VENV/bin/ruff" check --no-fix "${dirs[@]}"
"$VENV/bin/ruff" format --check "${dirs[@]}"
"$VENV/bin/python" -m pylint --rcfile=.pylintrc-mandatory dataprotect
echo "lint: ok"
