#!/usr/bin/env bash
# One command for the CPU precision benchmark (issue 18): fp32 / bf16 / int8 (those this CPU runs natively) on the
# tiny test model and a random-weight ViT-B/32: image tower at batch 1/8/16/32, text query p50 and QPS, ingest of
# ../shared/data/imagenet-sample, PyTorch's tower on the same file, quality per precision, the machine's peak FLOP/s.
#   src/bench/run-precision-bench.sh                       # full run (~15 min on 2 idle cores)
#   src/bench/run-precision-bench.sh --batches 16 --tower-seconds 4   # shorter
# Writes bench-results/precision.{md,json}; scratch data goes to .cache/bench-work/precision.
set -euo pipefail
source "$(dirname "$0")/prepare.sh"
mvn -B -q -o -Dnative.skip=true test-compile 2>/dev/null || mvn -B -q -Dnative.skip=true test-compile
exec "$python" src/bench/python/precisionbench.py --root "$root" --jar "$root/target/clip-search.jar" --python "$python" \
  --model "cifar-tiny-clip=$tiny" --model "vit-b-32-random=$full" \
  --images "${BENCH_IMAGES:-$root/../shared/data/imagenet-sample}" --cifar "$root/../shared/data/cifar10-test" \
  --work "$root/.cache/bench-work/precision" --out "$root/bench-results" "$@"
