#!/usr/bin/env bash
# The demo: a fresh demo database, marketplace orders of various ages, one run.
set -euo pipefail
source "$(dirname "$0")/env.sh"
"$ROOT/scripts/prepare.sh" --db
"$ROOT/scripts/newdb.sh" dataprotect_demo
(cd "$ROOT" && "$VENV/bin/python" scripts/demo.py -c "$ODOO_CONF" -d dataprotect_demo)
cat <<MSG

The demo database 'dataprotect_demo' is ready. To open it in the browser:
    make serve      # then http://localhost:$HTTP_PORT  (login admin, password admin)
    make stop       # stops the private PostgreSQL cluster when you are done
MSG
