#!/usr/bin/env bash
# One command for the side-by-side benchmark of clip-search against the Python Gradio app it replaces.
#   src/bench/run-side-by-side.sh                 # full run: both models, 500 images, 3 runs each (~20 min on 2 idle cores)
#   src/bench/run-side-by-side.sh --quick         # smoke run: 50 images, 1 run, 3 s cells
#   src/bench/run-side-by-side.sh --device cuda   # on a GPU machine: both sides put the model on the GPU
# Any other option goes to src/bench/python/sidebyside.py (--count, --reps, --seconds, --clients, --threads, ...).
# Writes bench-results/side-by-side.{md,json}; scratch data (Lite stores, logs) goes to .cache/bench-work.
# Models: ../shared/models/cifar-tiny-clip.pt (BENCH_TINY_MODEL) and a random-weight ViT-B/32 exported once into
# .cache/bench-models (BENCH_FULL_MODEL to use another file). Images: ../shared/data/imagenet-sample (BENCH_IMAGES).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
log() { printf '[bench] %s\n' "$*" >&2; }

args=()
for a in "$@"; do
  if [ "$a" = --quick ]; then args+=(--count 50 --reps 1 --seconds 3 --warmup 1); else args+=("$a"); fi
done

bash src/scripts/setup.sh          # .cache/venv: the Milvus Lite that clip-search starts as its child
# target/clip-search.jar: build.sh rebuilds when anything under src/ is newer, this harness included, so ask it
# only when the server's own sources or the pom changed.
jar=target/clip-search.jar
if [ ! -f "$jar" ] || [ -n "$(find src/main pom.xml -newer "$jar" -type f -print -quit)" ]; then
  bash src/scripts/build.sh
fi
python="$(bash src/bench/setup-bench-venv.sh)"

tiny="${BENCH_TINY_MODEL:-$root/../shared/models/cifar-tiny-clip.pt}"
full="${BENCH_FULL_MODEL:-$root/.cache/bench-models/vit-b-32-random.pt}"
if [ ! -f "$full" ]; then
  log "exporting a random-weight ViT-B/32 to $full (once)"
  mkdir -p "$(dirname "$full")"
  "$python" models/export_clip.py --random --out "$full"
fi

log "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
exec "$python" src/bench/python/sidebyside.py --root "$root" --jar "$root/target/clip-search.jar" --python "$python" \
  --model "cifar-tiny-clip=$tiny" --model "vit-b-32-random=$full" \
  --images "${BENCH_IMAGES:-$root/../shared/data/imagenet-sample}" \
  --work "$root/.cache/bench-work" --out "$root/bench-results" "${args[@]}"
