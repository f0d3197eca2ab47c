#!/usr/bin/env bash
# Odoo's web server on the demo database (made by `make demo`).
set -euo pipefail
source "$(dirname "$0")/env.sh"
bash "$ROOT/scripts/prepare.sh" --db
source "$RUN_DIR/pg.env"
export PGHOST PGPORT PGUSER
if [ -z "$(psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'dataprotect_demo'")" ]; then
    echo "There is no database dataprotect_demo yet: run 'make demo' first." >&2
    exit 1
fi
echo "Odoo on http://localhost:$HTTP_PORT (login admin, password admin); Ctrl-C stops it."
cd "$ROOT"
exec "$VENV/bin/python" -m odoo -c "$ODOO_CONF" -d dataprotect_demo \
    --db-filter='^dataprotect_demo$' --log-level=info
