#!/usr/bin/env bash
# Gradio's own web frontend, from the `gradio` wheel on PyPI (Apache-2.0; never committed), into
# .cache/gradio-frontend/<version>/:
#   frontend/   the wheel's gradio/templates/frontend (index.html template, gradio.js, assets/, static/), source maps left out
#   theme.css   the default theme's stylesheet, written by that version's own theme code (src/scripts/gradio_theme_css.py)
# The server (any --ui) serves /theme.css, /static/, /assets/ and /gradio.js from the version its /config claims, for
# pages that embed the app with <gradio-app>; `serve --ui gradio` also serves the frontend's page at /. Without this
# folder the server still runs; those routes answer 404 and the log says how to install them.
# GRADIO_FRONTEND_VERSIONS (space-separated) overrides the versions; the default is the server's own (first) and the
# other two majors the browser tests embed. Idempotent: a version already unpacked by this script is skipped.
# Usage: 35-gradio-frontend.sh REPO_ROOT
set -euo pipefail
root="${1:?usage: 35-gradio-frontend.sh REPO_ROOT}"
cache="$root/.cache/gradio-frontend"
log() { printf '[setup:gradio-frontend] %s\n' "$*" >&2; }
versions="${GRADIO_FRONTEND_VERSIONS:-5.49.1 4.44.1 6.25.0}"
python="$root/.cache/venv/bin/python"           # made by setup.sh; it has pip
[ -x "$python" ] || python="python3"
recipe="$(cat "$0" "$root/src/scripts/gradio_theme_css.py" | sha256sum | cut -d' ' -f1)"

for version in $versions; do
  dest="$cache/$version"
  if [ "$(cat "$dest/.recipe.sha256" 2>/dev/null)" = "$recipe" ]; then
    continue
  fi
  log "installing Gradio $version's frontend into $dest"
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  if ! timeout 600 "$python" -m pip download -q --disable-pip-version-check --no-deps -d "$tmp" "gradio==$version"; then
    log "could not download gradio==$version from the Python package index (pip's message above; 10-minute limit):"
    log "check the network or pip's index settings (PIP_INDEX_URL). Only 'serve --ui gradio' and <gradio-app> embedding"
    log "need it; the Docker image installs only the server's own version (GRADIO_FRONTEND_VERSIONS=5.49.1)."
    exit 1
  fi
  unzip -q "$tmp"/gradio-"$version"-*.whl 'gradio/templates/frontend/*' 'gradio/themes/*' -x '*.map' -d "$tmp/wheel"
  "$python" "$root/src/scripts/gradio_theme_css.py" "$tmp/wheel" > "$tmp/theme.css"
  [ -s "$tmp/theme.css" ] || { log "Gradio $version's theme code wrote no stylesheet"; exit 1; }
  rm -rf "$dest"
  mkdir -p "$dest"
  mv "$tmp/wheel/gradio/templates/frontend" "$dest/frontend"
  mv "$tmp/theme.css" "$dest/theme.css"
  echo "$recipe" > "$dest/.recipe.sha256"
  rm -rf "$tmp"
  trap - EXIT
done
log "ready: $(cd "$cache" && ls -d $versions | tr '\n' ' ')"
