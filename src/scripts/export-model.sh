#!/usr/bin/env bash
# Exports a CLIP model with open_clip into TorchScript + sidecar spec (models/export_clip.py), in its own
# virtualenv (.cache/export-venv: torch + open_clip_torch, a few GB). Arguments go to export_clip.py.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
venv="$root/.cache/export-venv"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import open_clip, torch" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$root/models/requirements.txt"
fi
exec "$venv/bin/python" "$root/models/export_clip.py" "$@"
