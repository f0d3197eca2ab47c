#!/usr/bin/env bash
# newdb.sh NAME [ODOO OPTION...]: drop and create the database NAME with
# dataprotect installed, and the apps of APPS (comma-separated) beside it (the
# options go to Odoo, e.g. --without-demo= to load the demo data that
# .run/odoo.conf leaves out).
set -euo pipefail
source "$(dirname "$0")/env.sh"
source "$RUN_DIR/pg.env"
export PGHOST PGPORT PGUSER
db=$1
shift
dropdb --if-exists --force "$db"
rm -rf "$RUN_DIR/data/filestore/$db"
createdb "$db"
echo "Installing dataprotect (with the Sales app, sale_stock and account)${APPS:+ and $APPS} into database $db ..."
(cd "$ROOT" && "$VENV/bin/python" -m odoo -c "$ODOO_CONF" -d "$db" -i "dataprotect${APPS:+,$APPS}" --stop-after-init "$@")
