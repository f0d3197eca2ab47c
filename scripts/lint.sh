#!/usr/bin/env bash
# `pre-commit run --all-files` with the project's .pre-commit-config.yaml (OCA
# 18.0's hooks, all local): installs first what the hooks call, the Python
# tools of requirements-dev.txt into .venv (scripts/prepare.sh) and the
# Node.js tools of package.json/package-lock.json into node_modules/.
set -euo pipefail
source "$(dirname "$0")/env.sh"
bash "$ROOT/scripts/prepare.sh"
cd "$ROOT"
if ! [ "$VENV" -ef "$ROOT/.venv" ]; then
    echo "The hooks of .pre-commit-config.yaml call .venv/bin/: run make lint without VENV set." >&2
    exit 1
fi

# node_modules/: installed again only when package-lock.json changed
stamp=node_modules/.package-lock.stamp
if ! cmp -s package-lock.json "$stamp"; then
    if ! command -v npm >/dev/null; then
        echo "npm is missing: install Node.js 18.18 or later with npm (Debian: apt-get install nodejs npm)." >&2
        exit 1
    fi
    echo "Installing package-lock.json into node_modules/ ..."
    npm ci --no-audit --no-fund --loglevel=error
    cp package-lock.json "$stamp"
fi

if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    echo "pre-commit needs a git repository: run make lint in a clone." >&2
    exit 1
fi
export PRE_COMMIT_HOME=$RUN_DIR/pre-commit
"$VENV/bin/pre-commit" run --all-files --show-diff-on-failure
echo "lint: ok"
