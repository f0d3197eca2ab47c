#!/usr/bin/env bash
# bench.sh [N]: the anonymization benchmark with N marketplace orders (default
# 20000) in the database dataprotect_bench_N. The orders are built once and
# kept (the benchmark rolls its changes back): a later run updates the addon
# in that database and reuses them. FRESH=1 builds the database anew.
set -euo pipefail
source "$(dirname "$0")/env.sh"
n=${1:-20000}
db=dataprotect_bench_$n
bash "$ROOT/scripts/prepare.sh" --db
source "$RUN_DIR/pg.env"
export PGHOST PGPORT PGUSER
cd "$ROOT"
if [ "${FRESH:-0}" != 1 ] && psql -lqtA | cut -d'|' -f1 | grep -qx "$db"; then
    echo "Updating dataprotect in the existing database $db ..."
    "$VENV/bin/python" -m odoo -c "$ODOO_CONF" -d "$db" -u dataprotect --stop-after-init
else
    bash "$ROOT/scripts/newdb.sh" "$db"
fi
"$VENV/bin/python" bench/bench_anonymize.py -c "$ODOO_CONF" -d "$db" --orders "$n" --reuse
