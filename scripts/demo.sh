#!/usr/bin/env bash
# The demo: a fresh database dataprotect_demo with the addon and its demo data
# (dataprotect/demo/; .run/odoo.conf leaves demo data out, hence
# --without-demo= here); scripts/demo.py then shows the story and runs the job
# once. Leaves PostgreSQL running for `make serve`.
set -euo pipefail
source "$(dirname "$0")/env.sh"
bash "$ROOT/scripts/prepare.sh" --db
bash "$ROOT/scripts/newdb.sh" dataprotect_demo --without-demo=
cd "$ROOT"
"$VENV/bin/python" scripts/demo.py -c "$ODOO_CONF" -d dataprotect_demo
cat <<MSG

The demo database 'dataprotect_demo' is ready. To open it in the browser:
    make serve      # then http://localhost:$HTTP_PORT  (login admin, password admin)
    make stop       # stops the private PostgreSQL cluster when you are done
MSG
