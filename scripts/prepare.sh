#!/usr/bin/env bash
# Prepares what the commands need: Odoo 18.0 and the project's Python
# environment .venv (the pinned tools of requirements-dev.txt; it sees the
# machine's Odoo); with --db also PostgreSQL (scripts/pg.sh) and the Odoo
# configuration file .run/odoo.conf.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

ODOO_ARCHIVE_URL=${ODOO_ARCHIVE_URL:-https://nightly.odoo.com/18.0/nightly/src/odoo_18.0.latest.tar.gz}
odoo_ok() { (cd / && "$1" -c 'import odoo.release as r; assert r.version_info[:2] == (18, 0)') >/dev/null 2>&1; }

if [ ! -x "$VENV/bin/python" ]; then
    echo "Creating the Python environment $VENV ..."
    python3 -m venv --system-site-packages "$VENV"
fi
if ! odoo_ok "$VENV/bin/python"; then
    echo "Odoo 18.0 is not importable by python3: fetching Odoo's 18.0 source archive ..."
    mkdir -p "$RUN_DIR"
    if ! curl -fsSL --connect-timeout 10 -o "$RUN_DIR/odoo_18.0.tar.gz" "$ODOO_ARCHIVE_URL"; then
        echo "Cannot download $ODOO_ARCHIVE_URL." >&2
        echo "Install Odoo 18.0 (Community, with its Python requirements) so that" >&2
        echo "  python3 -c 'import odoo'  works, then run this again." >&2
        exit 1
    fi
    "$VENV/bin/pip" install -q --disable-pip-version-check "$RUN_DIR/odoo_18.0.tar.gz"
    odoo_ok "$VENV/bin/python" || { echo "Odoo 18.0 is still not importable." >&2; exit 1; }
fi

# the pinned tools (pytest-odoo needs Odoo, hence after the check above);
# installed again only when requirements-dev.txt changed
stamp="$VENV/.requirements-dev.txt"
if ! cmp -s requirements-dev.txt "$stamp"; then
    echo "Installing requirements-dev.txt into $VENV ..."
    "$VENV/bin/pip" install -q --disable-pip-version-check -r requirements-dev.txt
    cp requirements-dev.txt "$stamp"
fi

[ "${1:-}" = --db ] || exit 0

if ! command -v wkhtmltopdf >/dev/null; then
    echo "Note: wkhtmltopdf is missing; Odoo cannot print PDF reports without it." >&2
fi

bash "$ROOT/scripts/pg.sh" start
source "$RUN_DIR/pg.env"
# Odoo's two addons folders (beside and inside the odoo package) and this repository
addons=$(cd / && "$VENV/bin/python" - "$ROOT" <<'PY'
import os, sys
import odoo
package = os.path.dirname(odoo.__file__)
paths = [os.path.join(os.path.dirname(package), "addons"), os.path.join(package, "addons"), sys.argv[1]]
print(",".join(p for p in paths if os.path.isdir(p)))
PY
)
cat >"$ODOO_CONF" <<CONF
[options]
db_host = $PGHOST
db_port = $PGPORT
db_user = $PGUSER
db_password = ${PGPASSWORD:-False}
addons_path = $addons
data_dir = $RUN_DIR/data
without_demo = all
log_level = warn
http_port = $HTTP_PORT
CONF
