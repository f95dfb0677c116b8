# Sourced by the bench runners: sets up what every benchmark needs and defines $root, $python, $tiny, $full.
#   .cache/venv (Milvus Lite), target/clip-search.jar (rebuilt only when the server's sources or the pom changed),
#   .cache/bench-venv (the Python reference app), and a random-weight ViT-B/32 exported once to .cache/bench-models.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
bash src/scripts/setup.sh
# build.sh rebuilds when anything under src/ is newer, the harnesses included, so ask it only when needed.
if [ ! -f target/clip-search.jar ] || [ -n "$(find src/main pom.xml -newer target/clip-search.jar -type f -print -quit)" ]; then
  bash src/scripts/build.sh
fi
python="$(bash src/bench/setup-bench-venv.sh)"
tiny="${BENCH_TINY_MODEL:-$root/../shared/models/cifar-tiny-clip.pt}"
full="${BENCH_FULL_MODEL:-$root/.cache/bench-models/vit-b-32-random.pt}"
if [ ! -f "$full" ]; then
  printf '[bench] exporting a random-weight ViT-B/32 to %s (once)\n' "$full" >&2
  mkdir -p "$(dirname "$full")"
  "$python" models/export_clip.py --random --out "$full"
fi
printf '[bench] load average before: %s on %s cores\n' "$(cut -d' ' -f1-3 /proc/loadavg)" "$(nproc)" >&2
