#!/usr/bin/env bash
# tier: test
# Toolchain and -dev packages for native/ (the JNI image pipeline): cmake, make, a C++ compiler, libjpeg-turbo,
# libpng, giflib, libwebp, and clang-format for the style check. Installs through apt only what is missing; fast when
# everything is there. Test tier only: the test command requires the native library (-Dnative.required=true), while
# serving builds it only when a compiler and the -dev packages are already there (else the Java path is used).
# Without root/sudo or apt it only warns, and the native build then says what is missing.
set -euo pipefail
root="${1:?repository root}"
source "$root/src/scripts/lib.sh" setup:native

# header or tool -> Debian package
declare -A want=(
  [/usr/bin/cmake]=cmake
  [/usr/bin/make]=make
  [/usr/bin/g++]=g++
  [/usr/bin/clang-format]=clang-format
  [/usr/include/jpeglib.h]=libjpeg-dev  # Debian: libjpeg62-turbo-dev, Ubuntu: libjpeg-turbo8-dev
  [/usr/include/png.h]=libpng-dev
  [/usr/include/gif_lib.h]=libgif-dev
  [/usr/include/webp/decode.h]=libwebp-dev
)
missing=()
for path in "${!want[@]}"; do
  [ -e "$path" ] || missing+=("${want[$path]}")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null || { [ "$(id -u)" != 0 ] && ! command -v sudo >/dev/null; }; then
  log "WARNING: missing ${missing[*]} and cannot apt-get install them; the native library will not be built"
  exit 0
fi
log "installing ${missing[*]} (apt; 1-2 minutes)"
apt_install --no-install-recommends "${missing[@]}"
# a stale CMake cache from before the install would keep its failed library look-ups
rm -rf "$root/target/native/build"
