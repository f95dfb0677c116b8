#!/usr/bin/env bash
# tier: serve
# The web page: builds ui/dist (served by the server at /) from ui/src. The build is a clean copy (ui/build.mjs), done
# with Node when it is installed and with cp otherwise, so serving needs no Node. Milliseconds, so always redone.
# Usage: 30-ui.sh REPO_ROOT
set -euo pipefail
root="${1:?usage: 30-ui.sh REPO_ROOT}"
source "$root/src/scripts/lib.sh" setup:ui
ui="$root/ui"
if command -v node >/dev/null; then
  node "$ui/build.mjs" >&2
else
  rm -rf "$ui/dist"
  cp -r "$ui/src" "$ui/dist"
  log "ui/dist: copied from ui/src (Node not installed; ui/build.mjs does the same copy)"
fi
