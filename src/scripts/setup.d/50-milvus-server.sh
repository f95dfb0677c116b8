#!/usr/bin/env bash
# Test-only: a real Milvus standalone for the server tier of the integration tests and for the scale benchmark.
#   .cache/venv-milvus-server        the PyPI package `milvus` 2.3.5 (the newest the index serves: the full Milvus
#                                    standalone binary with embedded etcd and local storage, LZMA-packed in the wheel)
#   .cache/milvus-server-2.3.5/bin   that binary and its libraries, unpacked once (~250 MB); every test server links
#                                    its data directory to it (src/test/python/milvus_standalone.py starts them)
# Idempotent: a stamp holding the pinned version makes a re-run a no-op. Usage: 50-milvus-server.sh REPO_ROOT
set -euo pipefail
root="${1:?usage: 50-milvus-server.sh REPO_ROOT}"
version=2.3.5
venv="$root/.cache/venv-milvus-server"
bin="$root/.cache/milvus-server-$version"
log() { printf '[setup:milvus-server] %s\n' "$*" >&2; }

if [ "$(cat "$bin/.ready" 2>/dev/null)" = "$version" ] && [ -x "$bin/bin/milvus" ] && [ -x "$venv/bin/python" ]; then
  exit 0
fi
log "installing milvus==$version (Milvus standalone for the server-tier tests) into $venv"
rm -rf "$venv" "$bin"
python3 -m venv "$venv"
# --no-deps: the package needs nothing at run time (pymilvus is only its optional "client" extra).
if ! timeout 600 "$venv/bin/pip" install -q --disable-pip-version-check --no-deps "milvus==$version"; then
  log "ERROR: could not install milvus==$version from PyPI within 10 minutes (network, or the index lacks it);"
  log "       the server-tier integration tests need it and will fail without it"
  exit 1
fi
if ! timeout 300 "$venv/bin/python" "$root/src/test/python/milvus_standalone.py" --bin "$bin" --extract-only; then
  log "ERROR: could not unpack the Milvus binaries into $bin"
  exit 1
fi
echo "$version" > "$bin/.ready"
log "Milvus $version standalone ready: $bin/bin/milvus"
