#!/usr/bin/env bash
# tier: serve
# Gradio's own web frontend, from the `gradio` wheel on PyPI (Apache-2.0; never committed), into
# .cache/gradio-frontend/<version>/:
#   frontend/   the wheel's gradio/templates/frontend (index.html template, gradio.js, assets/, static/), source maps left out
#   theme.css   the default theme's stylesheet, written by that version's own theme code (src/scripts/gradio_theme_css.py)
# The server (any --ui) serves /theme.css, /static/, /assets/ and /gradio.js from the version its /config claims, for
# pages that embed the app with <gradio-app>; `serve --ui gradio` also serves the frontend's page at /. Without this
# folder the server still runs; those routes answer 404 and the log says how to install them.
# Which versions: GRADIO_FRONTEND_VERSIONS (space-separated) when set; else the server's own for serving, and with it
# the other two majors the browser tests embed when SETUP_TIER=test. Idempotent: a version already unpacked by this
# script is skipped.
# Usage: 35-gradio-frontend.sh REPO_ROOT
set -euo pipefail
root="${1:?usage: 35-gradio-frontend.sh REPO_ROOT}"
cache="$root/.cache/gradio-frontend"
source "$root/src/scripts/lib.sh" setup:gradio-frontend
own=5.49.1                                      # the version /config claims (gradio/ConfigBuilder.VERSION)
default="$own"
[ "${SETUP_TIER:-serve}" = test ] && default="$own 4.44.1 6.25.0"
versions="${GRADIO_FRONTEND_VERSIONS:-$default}"
python="$root/.cache/venv/bin/python"           # made by setup.sh; it has pip
[ -x "$python" ] || python="python3"
# What makes an unpacked version: the files taken from the wheel (below) and the theme code. Change "v2" when the
# first changes; the second is hashed.
recipe="frontend+themes v2 $(sha256sum "$root/src/scripts/gradio_theme_css.py" | cut -d' ' -f1)"

for version in $versions; do
  dest="$cache/$version"
  if [ "$(cat "$dest/.recipe.sha256" 2>/dev/null)" = "$recipe" ]; then
    continue
  fi
  log "installing Gradio $version's frontend into $dest (the gradio wheel, about 50 MB; under a minute)"
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  net 600 "downloading gradio==$version (its frontend serves 'serve --ui gradio' and <gradio-app> embedding)" \
    "$python" -m pip download -q --disable-pip-version-check --timeout 60 --retries 3 --no-deps -d "$tmp" "gradio==$version"
  unzip -q "$tmp"/gradio-"$version"-*.whl 'gradio/templates/frontend/*' 'gradio/themes/*' -x '*.map' -d "$tmp/wheel"
  "$python" "$root/src/scripts/gradio_theme_css.py" "$tmp/wheel" > "$tmp/theme.css"
  [ -s "$tmp/theme.css" ] || die "Gradio $version's theme code wrote no stylesheet"
  rm -rf "$dest"
  mkdir -p "$dest"
  mv "$tmp/wheel/gradio/templates/frontend" "$dest/frontend"
  mv "$tmp/theme.css" "$dest/theme.css"
  echo "$recipe" > "$dest/.recipe.sha256"
  rm -rf "$tmp"
  trap - EXIT
done
log "ready: $(cd "$cache" && ls -d $versions | tr '\n' ' ')"
