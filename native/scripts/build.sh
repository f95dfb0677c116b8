#!/usr/bin/env bash
# Builds libclipsearch_native.so and copies it to <resources>/native/linux-x86_64/, from where the jar carries it.
# Run by Maven (generate-resources, see pom.xml: -Dnative.skip=true skips it). The library is optional for a plain
# build: without cmake, a C++ compiler or the -dev packages (src/scripts/setup.d/40-native.sh installs them) this
# prints why and exits 0, and the server uses the pure-Java preprocessor. With "true" as the fourth argument
# (-Dnative.required=true, which src/scripts/test.sh sets) a missing toolchain fails the build instead, so the test
# command can never pass with the native parity tests skipped. A compile error with the toolchain present fails.
# Usage: build.sh <build dir> <resources dir> [java home] [required: true|false]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:?build dir}"
resources="${2:?resources dir}"
java_home="${3:-}"
required="${4:-false}"
out="$resources/native/linux-x86_64"

skip() {
  if [ "$required" = "true" ]; then
    printf '[native] ERROR: the native image library is required (-Dnative.required=true) but cannot be built: %s\n' "$*" >&2
    exit 1
  fi
  printf '[native] WARNING: not building the native image library: %s (the Java path will be used)\n' "$*" >&2
  rm -f "$out/libclipsearch_native.so"
  exit 0
}
[ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] || skip "only linux-x86_64 is built, this is $(uname -s)-$(uname -m)"
command -v cmake >/dev/null || skip "cmake not found"
command -v c++ >/dev/null || skip "no C++ compiler"
for h in jpeglib.h png.h gif_lib.h webp/decode.h; do
  [ -e "/usr/include/$h" ] || [ -e "/usr/include/x86_64-linux-gnu/$h" ] || skip "$h not found (run src/scripts/setup.sh)"
done

args=(-S "$here" -B "$build" -DCMAKE_BUILD_TYPE=Release)
[ -n "$java_home" ] && args+=(-DJAVA_HOME="$java_home")
mkdir -p "$build"
[ -f "$build/CMakeCache.txt" ] || cmake "${args[@]}" >"$build/configure.log" 2>&1 || { cat "$build/configure.log" >&2; exit 1; }
log="$build/build.log"
cmake --build "$build" --target clipsearch_native -j "$(nproc)" >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
mkdir -p "$out"
cp -p "$build/libclipsearch_native.so" "$out/libclipsearch_native.so"
