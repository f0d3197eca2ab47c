#!/usr/bin/env bash
# PostgreSQL for the project.
#   pg.sh start   use the server at PGHOST/PGPORT if one answers there, else
#                 start (or reuse) a private cluster in .pg/ on 127.0.0.1:PRIVATE_PG_PORT;
#                 writes the connection settings to .run/pg.env
#   pg.sh stop    stop the private cluster (if it runs)
#   pg.sh status  exit 0 if the private cluster runs
set -euo pipefail
source "$(dirname "$0")/env.sh"

# initdb and postgres refuse to run as root: as root, run them as an
# unprivileged user of a user namespace (the files stay root's outside it),
# or else as the OS user postgres.
as_pg_user() {
    if [ "$(id -u)" != 0 ]; then
        "$@"
    elif unshare --user --map-user=1000 --map-group=1000 true 2>/dev/null; then
        unshare --user --map-user=1000 --map-group=1000 "$@"
    else
        chown -R postgres: "$PG_DIR"
        runuser -u postgres -- "$@"
    fi
}

private_running() {
    [ -f "$PG_DIR/data/postmaster.pid" ] && as_pg_user "$PG_BIN/pg_ctl" -D "$PG_DIR/data" status >/dev/null 2>&1
}

write_env() {  # host port user
    mkdir -p "$RUN_DIR"
    printf 'PGHOST=%s\nPGPORT=%s\nPGUSER=%s\n' "$1" "$2" "$3" >"$RUN_DIR/pg.env"
}

use_external() {
    local host=${PGHOST:-localhost} port=${PGPORT:-5432} user=${PGUSER:-$(id -un)}
    if [ "$user" = postgres ]; then
        echo "Odoo refuses the database role 'postgres': set PGUSER to another role." >&2
        exit 1
    fi
    echo "Using the PostgreSQL server at $host:$port as role $user."
    write_env "$host" "$port" "$user"
}

start() {
    if [ -n "${PGHOST:-}${PGPORT:-}" ] && pg_isready -q -h "${PGHOST:-localhost}" -p "${PGPORT:-5432}"; then
        use_external
        return
    fi
    if [ ! -x "$PG_BIN/initdb" ]; then
        echo "No PostgreSQL server answers at PGHOST/PGPORT and no PostgreSQL binaries were found" >&2
        echo "(/usr/lib/postgresql/*/bin, or set PG_BIN): install PostgreSQL 15 or set PGHOST/PGPORT." >&2
        exit 1
    fi
    if ! private_running; then
        if [ ! -f "$PG_DIR/data/PG_VERSION" ]; then
            rm -rf "$PG_DIR/data" && mkdir -p "$PG_DIR"
            as_pg_user "$PG_BIN/initdb" -D "$PG_DIR/data" -U odoo --auth=trust -E UTF8 \
                --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 \
                || { cat "$PG_DIR/initdb.log" >&2; exit 1; }
        fi
        if pg_isready -q -h 127.0.0.1 -p "$PRIVATE_PG_PORT"; then
            echo "Port $PRIVATE_PG_PORT is taken by another PostgreSQL server (another checkout?):" >&2
            echo "stop it, or choose another port with PRIVATE_PG_PORT=..." >&2
            exit 1
        fi
        as_pg_user "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
            -o "-p $PRIVATE_PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1" start >/dev/null \
            || { tail -n 20 "$PG_DIR/server.log" >&2; exit 1; }
        echo "Started a private PostgreSQL cluster in $PG_DIR (port $PRIVATE_PG_PORT); 'make stop' stops it."
    fi
    write_env 127.0.0.1 "$PRIVATE_PG_PORT" odoo
}

stop() {
    if private_running; then
        as_pg_user "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null
        echo "Stopped the private PostgreSQL cluster."
    fi
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status)
        if private_running; then echo "private cluster running ($PG_DIR)"; else echo "private cluster not running"; exit 1; fi ;;
    *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
