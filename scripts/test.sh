#!/usr/bin/env bash
# The whole test suite (pytest-odoo, tests/) on a fresh database. Stops the
# private PostgreSQL cluster afterwards if this script started it.
set -euo pipefail
source "$(dirname "$0")/env.sh"
if ! bash "$ROOT/scripts/pg.sh" status >/dev/null; then
    trap 'bash "$ROOT/scripts/pg.sh" stop' EXIT
fi
bash "$ROOT/scripts/prepare.sh" --db
# the apps sellers run beside Sales, and Odoo's Privacy Lookup as a judge of
# what is left (the addon does not depend on them)
APPS=${TEST_APPS-crm,sale_crm,mass_mailing,mass_mailing_sms,sms,privacy_lookup,website_sale,delivery,stock_dropshipping} \
    bash "$ROOT/scripts/newdb.sh" dataprotect_test
cd "$ROOT"
status=0
# --odoo-http: Odoo's web server in the pytest process, for the browser tours
"$VENV/bin/python" -m pytest -p no:cacheprovider -p no:benchmark --odoo-http \
    --odoo-config "$ODOO_CONF" --odoo-database dataprotect_test tests "$@" || status=$?
if [ "$status" = 5 ]; then
    echo "pytest collected no tests: that is a failure." >&2
fi
exit "$status"
