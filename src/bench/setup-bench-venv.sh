#!/usr/bin/env bash
# Creates .cache/bench-venv for the Python reference app (torch, open_clip, gradio, pymilvus + Milvus Lite) from
# src/bench/python/requirements.txt, constrained by requirements.lock when present. Idempotent: reinstalls only
# when either file changes. PyPI only; the torch wheel and its CUDA libraries are large (a few GB), but the app
# runs on CPU. Prints the venv's python on stdout.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
venv="${BENCH_VENV:-$root/.cache/bench-venv}"
req="$root/src/bench/python/requirements.txt"
lock="$root/src/bench/python/requirements.lock"
want="$(cat "$req" "$lock" 2>/dev/null | sha256sum | cut -d' ' -f1)"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$venv/.bench.sha256" 2>/dev/null)" != "$want" ]; then
  echo "[bench] installing the Python reference app into $venv (first time: several minutes)" >&2
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip >&2
  constraints=()
  [ -f "$lock" ] && constraints=(-c "$lock")
  "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$req" "${constraints[@]}" >&2
  echo "$want" > "$venv/.bench.sha256"
fi
"$venv/bin/python" -c "import torch, open_clip, gradio, gradio_client, pymilvus, milvus_lite" \
  || { echo "[bench] $venv is incomplete; delete it and rerun" >&2; exit 1; }
echo "$venv/bin/python"
