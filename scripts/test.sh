#!/usr/bin/env bash
# The whole test suite on a fresh database; stops the private cluster after.
set -euo pipefail
source "$(dirname "$0")/env.sh"
"$ROOT/scripts/prepare.sh" --db
trap '"$ROOT/scripts/pg.sh" stop' EXIT
"$ROOT/scripts/newdb.sh" dataprotect_test
cd "$ROOT"
status=0
"$VENV/bin/python" -m pytest -p no:cacheprovider -p no:benchmark \
    --odoo-config "$ODOO_CONF" --odoo-database dataprotect_test tests "$@" || status=$?
if [ "$status" = 5 ]; then
    echo "pytest collected no tests: that is a failure." >&2
fi
exit "$status"
