#!/usr/bin/env bash
# bench.sh [N]: the anonymization benchmark on a fresh database dataprotect_bench.
set -euo pipefail
source "$(dirname "$0")/env.sh"
bash "$ROOT/scripts/prepare.sh" --db
bash "$ROOT/scripts/newdb.sh" dataprotect_bench
cd "$ROOT"
"$VENV/bin/python" bench/bench_anonymize.py -c "$ODOO_CONF" -d dataprotect_bench --orders "${1:-20000}"
