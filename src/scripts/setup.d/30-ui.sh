#!/usr/bin/env bash
# The web UI: installs ui/'s npm packages (playwright-core, for the browser tests) into ui/node_modules, builds
# ui/dist (served by the server at /), and makes sure Debian's chromium is there for BrowserUiIT. Idempotent.
# Usage: 30-ui.sh REPO_ROOT
set -euo pipefail
root="${1:?usage: 30-ui.sh REPO_ROOT}"
ui="$root/ui"
log() { printf '[setup:ui] %s\n' "$*" >&2; }

command -v node >/dev/null && command -v npm >/dev/null || { log "node and npm (Node 20+) are required"; exit 1; }

# npm packages: reinstalled only when package-lock.json changes (the stamp holds its hash).
stamp="$ui/node_modules/.lock.sha256"
want="$(sha256sum "$ui/package-lock.json" | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  log "npm ci in ui/"
  (cd "$ui" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" > "$stamp"
fi

# The page: a clean copy of ui/src into ui/dist (milliseconds, so always redone).
node "$ui/build.mjs" >&2

# The browser for the UI tests. CI images start without it; we run as root there.
if ! command -v chromium >/dev/null; then
  log "installing Debian chromium"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get install -y -q chromium >/dev/null 2>&1 || { $sudo apt-get update -q && $sudo apt-get install -y -q chromium; }
fi
log "ready: $(chromium --version 2>/dev/null | head -1), playwright-core $(node -p "require('$ui/node_modules/playwright-core/package.json').version")"
