#!/usr/bin/env bash
# tier: test
# Installs the real Gradio clients that the compatibility ITs drive, each pinned, into .cache/ (git-ignored):
#   .cache/venv-gradio-client-2.7.2      gradio_client 2.7.2 (latest)
#   .cache/venv-gradio-client-1.13.3     gradio_client 1.13.3 (latest 1.13, Gradio 5.49's)
#   .cache/venv-gradio-client-1.3.0      gradio_client 1.3.0 (Gradio 4.44's; ignores api_prefix, iter_lines parser)
#   .cache/node/gradio-client-2.7.0      @gradio/client 2.7.0 (latest)
#   .cache/node/gradio-client-1.5.2      @gradio/client 1.5.2 (Gradio 4.44's; ignores api_prefix)
# Pins live in src/test/python/clients/*.txt (full pip freeze) and src/test/js/clients/*/package-lock.json; a stamp
# holding the pin file's sha256 makes a re-run with unchanged pins a no-op. Usage: 20-clients.sh REPO_ROOT
set -euo pipefail
root="${1:?usage: 20-clients.sh REPO_ROOT}"
source "$root/src/scripts/lib.sh" setup:clients
cache="$root/.cache"
sha() { cat "$@" | sha256sum | cut -d' ' -f1; }

# One venv per pinned Python client. --no-deps: the pin file lists every package (a full freeze), so pip has nothing
# to resolve; that also sidesteps old clients' tight pins (e.g. websockets) conflicting with current releases.
for pins in "$root"/src/test/python/clients/gradio-client-*.txt; do
  name="$(basename "$pins" .txt)"              # gradio-client-1.3.0
  version="${name#gradio-client-}"
  venv="$cache/venv-$name"
  want="$(sha "$pins")"
  if [ -x "$venv/bin/python" ] && [ "$(cat "$venv/.pins.sha256" 2>/dev/null)" = "$want" ]; then
    continue
  fi
  log "installing gradio_client $version into $venv (about 20 packages; under a minute)"
  rm -rf "$venv"
  python3 -m venv "$venv" || die "python3 -m venv failed: install python3-venv"
  net 600 "pip install gradio_client $version" "$venv/bin/pip" install --disable-pip-version-check \
    --progress-bar off --timeout 60 --retries 3 --no-deps -r "$pins"
  got="$("$venv/bin/python" -c 'import gradio_client; print(gradio_client.__version__)')"
  [ "$got" = "$version" ] || die "$venv has gradio_client $got, want $version"
  echo "$want" > "$venv/.pins.sha256"
done

# One node_modules per pinned JS client, from a committed lock file (npm ci = exactly the locked tree).
# --ignore-scripts: 1.5.2 pulls optional native/dev helpers (bufferutil, msw) whose install scripts the client
# does not need; skipping them keeps the step offline-safe apart from the tarball fetches.
command -v npm >/dev/null || die "npm not found: install Node.js >= 18 with npm (the JS client tests need it)"
for spec in "$root"/src/test/js/clients/gradio-client-*/; do
  name="$(basename "$spec")"                   # gradio-client-2.7.0
  dest="$cache/node/$name"
  want="$(sha "$spec/package.json" "$spec/package-lock.json")"
  if [ -f "$dest/node_modules/@gradio/client/package.json" ] && [ "$(cat "$dest/.lock.sha256" 2>/dev/null)" = "$want" ]; then
    continue
  fi
  log "installing @gradio/client ${name#gradio-client-} into $dest (npm ci; under a minute)"
  rm -rf "$dest"
  mkdir -p "$dest"
  cp "$spec/package.json" "$spec/package-lock.json" "$dest/"
  (cd "$dest" && net 600 "npm ci for $name" npm ci --ignore-scripts --no-audit --no-fund --fetch-timeout=60000)
  echo "$want" > "$dest/.lock.sha256"
done
log "clients ready"
