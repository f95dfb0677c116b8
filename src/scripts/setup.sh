#!/usr/bin/env bash
# Installs what clip-search needs that Maven does not fetch, into .cache/ (git-ignored). Idempotent: a second run
# with nothing to do takes seconds.
#   src/scripts/setup.sh          what serving needs (src/scripts/run.sh runs this):
#                                   .cache/venv                      Python with Milvus Lite (the embedded default store)
#                                   .cache/generated-resources/clip  the CLIP BPE vocabulary, bundled into the jar
#                                   setup.d steps marked "tier: serve" (the built page, Gradio's frontend)
#   src/scripts/setup.sh --test   that, and what only the tests need (src/scripts/test.sh runs this): every setup.d
#                                 step (Gradio clients, Chromium, the native toolchain, ...)
# Each setup.d/*.sh step gets the repository root as $1 and SETUP_TIER=serve|test in its environment; a step runs
# for serve only when its header has the line "# tier: serve" (see setup.d/README.md).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
source "$root/src/scripts/lib.sh" setup
tier=serve
case "${1:-}" in
  "") ;;
  --test) tier=test ;;
  -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) die "unknown argument '$1' (usage: setup.sh [--test])" ;;
esac
cache="$root/.cache"
mkdir -p "$cache"
command -v python3 >/dev/null || die "python3 not found: install Python 3.9+ with venv (Debian/Ubuntu: apt-get install python3-venv)"

# --- Python virtualenv with Milvus Lite ----------------------------------------------------------------------------
venv="$cache/venv"
req="$root/src/scripts/requirements.txt"
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$req" | cut -d' ' -f1)"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  log "installing Milvus Lite into $venv (pip, about 100 MB the first time; 1-3 minutes)"
  python3 -m venv "$venv" || die "python3 -m venv failed: install python3-venv (Debian/Ubuntu) and rerun"
  net 600 "upgrading pip in $venv" "$venv/bin/pip" install --disable-pip-version-check --progress-bar off \
    --timeout 60 --retries 3 --upgrade pip
  net 1200 "pip install -r src/scripts/requirements.txt" "$venv/bin/pip" install --disable-pip-version-check \
    --progress-bar off --timeout 60 --retries 3 -r "$req"
  echo "$want" > "$stamp"
fi
"$venv/bin/python" -c "import milvus_lite, pyarrow, faiss, grpc, pymilvus.grpc_gen" \
  || die "Milvus Lite is not importable from $venv: delete it and rerun"

# --- CLIP BPE vocabulary ---------------------------------------------------------------------------------------------
# Taken from the open_clip_torch wheel on PyPI; the sha256 is that of the uncompressed file (the same bytes that
# OpenAI's CLIP and the npm package modelzoo@0.0.4 ship).
vocab_sha=67603cfda2e032ad77b5f8808af37789d590db664b26df8705d2bf8b3c553fc8
vocab="$cache/generated-resources/clip/bpe_simple_vocab_16e6.txt.gz"
if [ ! -f "$vocab" ] || [ "$(gunzip -c "$vocab" | sha256sum | cut -d' ' -f1)" != "$vocab_sha" ]; then
  log "fetching the CLIP BPE vocabulary (from the open_clip_torch wheel, 1.5 MB)"
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  net 300 "downloading open_clip_torch==3.3.0 (for its vocabulary)" "$venv/bin/pip" download -q \
    --disable-pip-version-check --timeout 60 --retries 3 --no-deps -d "$tmp" open_clip_torch==3.3.0
  mkdir -p "$(dirname "$vocab")"
  unzip -p "$tmp"/open_clip_torch-*.whl open_clip/bpe_simple_vocab_16e6.txt.gz > "$vocab.part"
  got="$(gunzip -c "$vocab.part" | sha256sum | cut -d' ' -f1)"
  rm -rf "$tmp"
  trap - EXIT
  if [ "$got" != "$vocab_sha" ]; then
    rm -f "$vocab.part"
    die "vocabulary checksum mismatch: got $got, want $vocab_sha"
  fi
  mv "$vocab.part" "$vocab"
fi

# --- further steps, one script each, in name order ---------------------------------------------------------------------
for step in "$root"/src/scripts/setup.d/*.sh; do
  [ -e "$step" ] || continue
  if [ "$tier" = serve ] && ! grep -qx '# tier: serve' "$step"; then
    continue
  fi
  log "step $(basename "$step")"
  SETUP_TIER="$tier" bash "$step" "$root"
done
log "ready for $( [ "$tier" = test ] && echo "serving and testing" || echo "serving (src/scripts/setup.sh --test adds what the tests need)")"
