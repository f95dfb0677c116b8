#!/usr/bin/env bash
# The main job: build, set up, ingest a folder of images, serve the search UI and the Gradio API on :7860.
#   src/scripts/run.sh [--images DIR] [--model FILE] [any `serve` option, e.g. --port 8080 --device cuda]
# Without --model it exports OpenAI CLIP ViT-B/32 through open_clip (downloads the weights; needs internet).
# Without --images it downloads the Milvus/Towhee tutorial's image set (1000 photos).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
log() { printf '[run] %s\n' "$*" >&2; }

images="" model="" rest=()
while [ $# -gt 0 ]; do
  case "$1" in
    --images) images="$2"; shift 2 ;;
    --images=*) images="${1#*=}"; shift ;;
    --model) model="$2"; shift 2 ;;
    --model=*) model="${1#*=}"; shift ;;
    -h|--help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) rest+=("$1"); shift ;;
  esac
done

bash src/scripts/setup.sh

if [ -z "$model" ]; then
  model="$root/models/clip-vit-b-32.pt"
  if [ ! -f "$model" ]; then
    log "exporting OpenAI CLIP ViT-B/32 with open_clip (first run only; downloads ~600 MB of weights)"
    bash src/scripts/export-model.sh --out "$model" \
      || { log "export failed (no internet?). Pass --model FILE, e.g. --model ../shared/models/cifar-tiny-clip.pt"; exit 1; }
  fi
fi

if [ -z "$images" ]; then
  images="$root/data/images/train"
  if [ ! -d "$images" ]; then
    log "downloading the tutorial's image set (reverse_image_search.zip)"
    mkdir -p "$root/data/images"
    url=https://github.com/towhee-io/examples/releases/download/data/reverse_image_search.zip
    if ! curl -fsSL --retry 2 -o "$root/data/images.zip" "$url"; then
      log "cannot download $url. Pass --images DIR, e.g. --images ../shared/data/imagenet-sample"; exit 1
    fi
    unzip -q -o "$root/data/images.zip" -d "$root/data/images" && rm -f "$root/data/images.zip"
  fi
fi

bash src/scripts/build.sh
export OMP_WAIT_POLICY=PASSIVE OPENBLAS_THREAD_TIMEOUT=20 CLIPSRV_HOME="$root"
exec java -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 ${JAVA_OPTS:-} -jar target/clip-search.jar \
  serve --model "$model" --images "$images" "${rest[@]}"
