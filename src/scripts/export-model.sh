#!/usr/bin/env bash
# Exports a CLIP model with open_clip into TorchScript + sidecar spec (models/export_clip.py), in its own
# virtualenv (.cache/export-venv: torch, open_clip_torch and OpenAI's clip package from models/requirements.txt;
# a few GB, several minutes the first time).
#   src/scripts/export-model.sh --out models/clip-vit-b-32.pt [export_clip.py options]   export (downloads weights)
#   src/scripts/export-model.sh --verify [--out FILE] [export_clip.py options]           export, then compare the
#        export with OpenAI's clip.load(...) on images and texts and print the largest difference (needs internet)
#   src/scripts/export-model.sh --install-only                                           only make the venv
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
venv="$root/.cache/export-venv"
req="$root/models/requirements.txt"
source "$root/src/scripts/lib.sh" export

want="$(sha256sum "$req" | cut -d' ' -f1)"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$venv/.requirements.sha256" 2>/dev/null)" != "$want" ]; then
  log "installing torch, open_clip and OpenAI's clip into $venv (a few GB; 2-10 minutes)"
  python3 -m venv "$venv" || die "python3 -m venv failed: install python3-venv"
  net 1800 "pip install -r models/requirements.txt" "$venv/bin/pip" install --disable-pip-version-check \
    --progress-bar off --timeout 60 --retries 3 -r "$req"
  echo "$want" > "$venv/.requirements.sha256"
fi
"$venv/bin/python" -W ignore -c "import open_clip, torch, clip" \
  || die "$venv is incomplete: delete it and rerun"

verify=0 args=()
for a in "$@"; do
  case "$a" in
    --install-only) exit 0 ;;
    --verify) verify=1 ;;
    *) args+=("$a") ;;
  esac
done
export PYTHONWARNINGS=ignore
if [ "$verify" = 1 ]; then
  exec "$venv/bin/python" "$root/models/verify_export.py" "${args[@]}"
fi
exec "$venv/bin/python" "$root/models/export_clip.py" "${args[@]}"
