#!/usr/bin/env bash
# tier: test
# What the browser tests (BrowserUiIT, GradioFrontendIT) drive: ui/'s npm packages (playwright-core) in
# ui/node_modules, and Debian's chromium. Idempotent. Usage: 31-browser.sh REPO_ROOT
set -euo pipefail
root="${1:?usage: 31-browser.sh REPO_ROOT}"
source "$root/src/scripts/lib.sh" setup:browser
ui="$root/ui"
command -v node >/dev/null && command -v npm >/dev/null || die "node and npm (Node 18+) are required by the browser tests"

# npm packages: reinstalled only when package-lock.json changes (the stamp holds its hash).
stamp="$ui/node_modules/.lock.sha256"
want="$(sha256sum "$ui/package-lock.json" | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  log "npm ci in ui/ (playwright-core, a few MB; under a minute)"
  (cd "$ui" && net 600 "npm ci in ui/" npm ci --no-audit --no-fund --fetch-timeout=60000)
  echo "$want" > "$stamp"
fi

if ! command -v chromium >/dev/null; then
  log "installing Debian's chromium (apt, about 100 MB; 1-3 minutes)"
  apt_install chromium
fi
log "ready: $(chromium --version 2>/dev/null | head -1), playwright-core $(node -p "require('$ui/node_modules/playwright-core/package.json').version")"
