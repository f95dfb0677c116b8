#!/usr/bin/env bash
# The sanitizer job: builds the pipeline and its check driver with AddressSanitizer + UndefinedBehaviorSanitizer
# (gcc), runs every test image through it, then a bounded mutation-fuzz run seeded with them. Exits non-zero on any
# memory error, leak, undefined behaviour or unexpected exception; the offending input is saved in the build dir.
# Run by NativeSanitizerIT (mvn verify); by hand: native/scripts/sanitize.sh [fuzz seconds, default 60]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
seconds="${1:-60}"
build="$root/target/native/asan"
if command -v clang-format >/dev/null; then  # style gate first: cheap, and the sources must be clean
  (cd "$root/native" && clang-format --dry-run -Werror src/*.cc include/*.h include/clipimg/*.h tools/*.cc tools/*.h)
fi
mkdir -p "$build"
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$root/native" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCLIPIMG_JNI=OFF -DCLIPIMG_TOOLS=ON \
    -DCLIPIMG_SANITIZE=ON >"$build/configure.log" 2>&1 || { cat "$build/configure.log" >&2; exit 1; }
fi
cmake --build "$build" --target clipimg_check -j "$(nproc)" >"$build/build.log" 2>&1 || { cat "$build/build.log" >&2; exit 1; }

images=("$root"/src/test/resources/fixtures/images/*.{jpg,png,gif,bmp,webp})
shared="$root/../shared/data"
if [ -d "$shared" ]; then  # a handful of real photos of every kind, kept small so the fuzz loop stays fast
  mapfile -t photos < <(ls "$shared"/imagenet-sample/*.JPEG | head -n 12; ls "$shared"/clip-notebook/*.{png,jpg}; \
    ls "$shared"/cifar10-test/*/0000.jpg)
  images+=("${photos[@]}")
fi
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:allocator_may_return_null=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
"$build/clipimg_check" --crash-file "$build/crash.bin" --fuzz-seconds "$seconds" --seed "${FUZZ_SEED:-$RANDOM}" \
  "${images[@]}"
