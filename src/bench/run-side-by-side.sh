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
args=()
for a in "$@"; do
  if [ "$a" = --quick ]; then args+=(--count 50 --reps 1 --seconds 3 --warmup 1); else args+=("$a"); fi
done
source "$(dirname "$0")/prepare.sh"
exec "$python" src/bench/python/sidebyside.py --root "$root" --jar "$root/target/clip-search.jar" --python "$python" \
  --model "cifar-tiny-clip=$tiny" --model "vit-b-32-random=$full" \
  --images "${BENCH_IMAGES:-$root/../shared/data/imagenet-sample}" \
  --work "$root/.cache/bench-work" --out "$root/bench-results" "${args[@]}"
