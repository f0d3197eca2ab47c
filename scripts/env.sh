# shellcheck shell=bash disable=SC2034
# Sourced by the other scripts: paths and settings of the project.
# Every value can be overridden from the environment.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${VENV:-$ROOT/.venv}
RUN_DIR=${RUN_DIR:-$ROOT/.run}
PG_DIR=${PG_DIR:-$ROOT/.pg}
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
PRIVATE_PG_PORT=${PRIVATE_PG_PORT:-54329}
HTTP_PORT=${HTTP_PORT:-8069}
ODOO_CONF=$RUN_DIR/odoo.conf
# PostgreSQL's client programs (createdb, dropdb, psql): from PATH, else PG_BIN
[ -n "$PG_BIN" ] && PATH=$PATH:$PG_BIN
