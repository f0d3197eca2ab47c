#!/usr/bin/env bash
# bench-scale.sh [N]: the benchmark at scale. Builds (once, then kept) the
# databases dataprotect_scale_20000 and dataprotect_scale_N (default
# 1000000) by cloning the 2,000-order benchmark database's orders in SQL
# (bench/scale.py), then measures both (bench/bench_scale.py). FRESH=1 builds
# them anew; the 2,000-order database is built first where it is missing.
set -euo pipefail
source "$(dirname "$0")/env.sh"
n=${1:-1000000}
bash "$ROOT/scripts/prepare.sh" --db
source "$RUN_DIR/pg.env"
export PGHOST PGPORT PGUSER
cd "$ROOT"
base=dataprotect_bench_2000
exists() { psql -lqtA | cut -d'|' -f1 | grep -qx "$1"; }
if exists "$base"; then
    echo "Updating dataprotect in the base database $base ..."
    "$VENV/bin/python" -m odoo -c "$ODOO_CONF" -d "$base" -u dataprotect --stop-after-init
else
    bash "$ROOT/scripts/newdb.sh" "$base"
    "$VENV/bin/python" bench/bench_anonymize.py -c "$ODOO_CONF" -d "$base" --orders 2000 --build-only
fi
for size in 20000 "$n"; do
    db=dataprotect_scale_$size
    if [ "${FRESH:-0}" != 1 ] && exists "$db"; then
        echo "Updating dataprotect in the existing database $db ..."
        "$VENV/bin/python" -m odoo -c "$ODOO_CONF" -d "$db" -u dataprotect --stop-after-init
    else
        "$VENV/bin/python" bench/scale.py -c "$ODOO_CONF" --base "$base" -d "$db" --orders "$size"
    fi
done
cd "$ROOT/bench"
"$VENV/bin/python" bench_scale.py -c "$ODOO_CONF" -d dataprotect_scale_20000 -d "dataprotect_scale_$n"
