#!/usr/bin/env bash
# Installs everything clip-search needs that Maven does not fetch, into .cache/ (git-ignored). Idempotent.
#   .cache/venv                      Python: Milvus Lite server (embedded default), gradio_client for compatibility tests
#   .cache/generated-resources/clip  the CLIP BPE vocabulary, bundled into the jar (checked by sha256)
#   src/scripts/setup.d/*.sh         further steps, each given the repository root as $1
# Usage: src/scripts/setup.sh [--python-only]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cache="$root/.cache"
mkdir -p "$cache"

log() { printf '[setup] %s\n' "$*" >&2; }

# --- Python virtualenv -------------------------------------------------------------------------------------------
venv="$cache/venv"
req="$root/src/scripts/requirements.txt"
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$req" | cut -d' ' -f1)"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  log "creating Python virtualenv in $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check --upgrade pip
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$req"
  echo "$want" > "$stamp"
fi
"$venv/bin/python" -c "import milvus_lite, pyarrow, faiss, grpc, pymilvus.grpc_gen" \
  || { log "Milvus Lite is not importable from $venv"; exit 1; }

# --- CLIP BPE vocabulary ---------------------------------------------------------------------------------------------
# Taken from the open_clip_torch wheel on PyPI; the sha256 is that of the uncompressed file (the same bytes that
# OpenAI's CLIP and the npm package modelzoo@0.0.4 ship).
vocab_sha=67603cfda2e032ad77b5f8808af37789d590db664b26df8705d2bf8b3c553fc8
vocab="$cache/generated-resources/clip/bpe_simple_vocab_16e6.txt.gz"
if [ ! -f "$vocab" ] || [ "$(gunzip -c "$vocab" | sha256sum | cut -d' ' -f1)" != "$vocab_sha" ]; then
  log "fetching the CLIP BPE vocabulary (open_clip_torch wheel)"
  tmp="$(mktemp -d)"
  "$venv/bin/pip" download -q --disable-pip-version-check --no-deps -d "$tmp" open_clip_torch==3.3.0
  mkdir -p "$(dirname "$vocab")"
  unzip -p "$tmp"/open_clip_torch-*.whl open_clip/bpe_simple_vocab_16e6.txt.gz > "$vocab.part"
  got="$(gunzip -c "$vocab.part" | sha256sum | cut -d' ' -f1)"
  rm -rf "$tmp"
  if [ "$got" != "$vocab_sha" ]; then
    rm -f "$vocab.part"
    log "vocabulary checksum mismatch: got $got, want $vocab_sha"
    exit 1
  fi
  mv "$vocab.part" "$vocab"
fi
# --- extra steps (UI build, test clients, native toolchain): one script each, run in name order ----------------------
for step in "$root"/src/scripts/setup.d/*.sh; do
  [ -e "$step" ] || continue
  log "running $(basename "$step")"
  bash "$step" "$root"
done
log "ready: $venv, $vocab"
