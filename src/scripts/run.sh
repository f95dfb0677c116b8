#!/usr/bin/env bash
# The main job: set up what serving needs, build, then serve the search page and the Gradio API on :7860 while the
# images are ingested in the background.
#   src/scripts/run.sh [--images DIR] [--model FILE] [any `serve` option, e.g. --port 8080 --device cuda]
# Without --model it exports OpenAI CLIP ViT-B/32 through open_clip (downloads the weights; needs internet).
# Without --images it downloads the Milvus/Towhee tutorial's image set (1000 photos).
# It installs only what serving needs (src/scripts/setup.sh); the tests' tools come with src/scripts/test.sh.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
source src/scripts/lib.sh run

images="" model="" rest=()
while [ $# -gt 0 ]; do
  case "$1" in
    --images) images="$2"; shift 2 ;;
    --images=*) images="${1#*=}"; shift ;;
    --model) model="$2"; shift 2 ;;
    --model=*) model="${1#*=}"; shift ;;
    -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) rest+=("$1"); shift ;;
  esac
done

bash src/scripts/setup.sh

if [ -z "$model" ]; then
  model="$root/models/clip-vit-b-32.pt"
  if [ ! -f "$model" ]; then
    log "exporting OpenAI CLIP ViT-B/32 with open_clip (first run only: torch and open_clip, a few GB, then ~600 MB of weights)"
    bash src/scripts/export-model.sh --out "$model" \
      || die "export failed (no internet?). Pass --model FILE, e.g. --model ../shared/models/cifar-tiny-clip.pt"
  fi
fi

if [ -z "$images" ]; then
  images="$root/data/images/train"
  if [ ! -d "$images" ]; then
    url=https://github.com/towhee-io/examples/releases/download/data/reverse_image_search.zip
    log "downloading the tutorial's image set ($url, about 120 MB)"
    mkdir -p "$root/data/images"
    net 900 "downloading $url (or pass --images DIR, e.g. --images ../shared/data/imagenet-sample)" \
      curl -fSL --connect-timeout 30 --retry 2 -o "$root/data/images.zip" "$url"
    unzip -q -o "$root/data/images.zip" -d "$root/data/images" && rm -f "$root/data/images.zip"
  fi
fi

bash src/scripts/build.sh
export OMP_WAIT_POLICY=PASSIVE OPENBLAS_THREAD_TIMEOUT=20 CLIPSRV_HOME="$root"
exec java -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 ${JAVA_OPTS:-} -jar target/clip-search.jar \
  serve --model "$model" --images "$images" "${rest[@]}"
