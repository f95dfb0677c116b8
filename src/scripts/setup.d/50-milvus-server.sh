#!/usr/bin/env bash
# tier: test
# A real Milvus standalone for the server tier of the integration tests and for the scale benchmark.
#   .cache/venv-milvus-server        the PyPI package `milvus` 2.3.5 (the full Milvus standalone binary with
#                                    embedded etcd and local storage, LZMA-packed in the wheel)
#   .cache/milvus-server-2.3.5/bin   that binary and its libraries, unpacked once (~250 MB); every test server links
#                                    its data directory to it (src/test/python/milvus_standalone.py starts them)
# Idempotent: a stamp holding the pinned version makes a re-run a no-op. Usage: 50-milvus-server.sh REPO_ROOT
set -euo pipefail
root="${1:?usage: 50-milvus-server.sh REPO_ROOT}"
source "$root/src/scripts/lib.sh" setup:milvus-server
version=2.3.5
venv="$root/.cache/venv-milvus-server"
bin="$root/.cache/milvus-server-$version"

if [ "$(cat "$bin/.ready" 2>/dev/null)" = "$version" ] && [ -x "$bin/bin/milvus" ] && [ -x "$venv/bin/python" ]; then
  exit 0
fi
log "installing milvus==$version (Milvus standalone for the server-tier tests) into $venv (pip, ~100 MB; 1-3 minutes)"
rm -rf "$venv" "$bin"
python3 -m venv "$venv" || die "python3 -m venv failed: install python3-venv (Debian/Ubuntu) and rerun"
# --no-deps: the package needs nothing at run time (pymilvus is only its optional "client" extra).
net 600 "pip install milvus==$version (the server-tier integration tests need it)" "$venv/bin/pip" install \
  --disable-pip-version-check --progress-bar off --timeout 60 --retries 3 --no-deps "milvus==$version"
log "unpacking the Milvus $version binaries into $bin (~250 MB; under a minute)"
timeout 300 "$venv/bin/python" "$root/src/test/python/milvus_standalone.py" --bin "$bin" --extract-only \
  || die "could not unpack the Milvus binaries into $bin"
echo "$version" > "$bin/.ready"
log "Milvus $version standalone ready: $bin/bin/milvus"
