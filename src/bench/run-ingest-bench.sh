#!/usr/bin/env bash
# One command for the ingest throughput benchmark (issue 8): per model, clip-search's end-to-end ingest vs its image
# tower alone at the same batch size, and the Python tutorial loop on the same images, in one run.
#   src/bench/run-ingest-bench.sh                    # tiny test model + random-weight ViT-B/32, 1000 ImageNet photos
#   src/bench/run-ingest-bench.sh --reps 3           # median of 3 ingests per side
#   src/bench/run-ingest-bench.sh --only cifar-tiny-clip   # one model
#   src/bench/run-ingest-bench.sh --device cuda      # on a GPU machine (a -Pgpu jar)
# Writes bench-results/ingest.{md,json}; scratch data goes to .cache/bench-work/ingest.
# Models, images and the Python venv are the side-by-side harness's (BENCH_TINY_MODEL, BENCH_FULL_MODEL, BENCH_IMAGES).
set -euo pipefail
source "$(dirname "$0")/prepare.sh"
# The image-tower-alone runner is a bench class (src/test/java/.../bench), kept out of the product jar.
mvn -B -q -o -Dnative.skip=true test-compile 2>/dev/null || mvn -B -q -Dnative.skip=true test-compile
exec "$python" src/bench/python/ingestbench.py --root "$root" --jar "$root/target/clip-search.jar" --python "$python" \
  --model "cifar-tiny-clip=$tiny" --model "vit-b-32-random=$full" \
  --images "${BENCH_IMAGES:-$root/../shared/data/imagenet-sample}" \
  --work "$root/.cache/bench-work/ingest" --out "$root/bench-results" "$@"
