#!/usr/bin/env bash
# Toolchain and -dev packages for native/ (the JNI image pipeline): cmake, a C++ compiler, libjpeg-turbo, libpng,
# giflib, libwebp, and clang-format for the style check. Installs through apt only what is missing; fast when
# everything is there. Without root or apt it only warns: the build then skips the native library and the server
# uses the Java path.
set -euo pipefail
root="${1:?repository root}"
log() { printf '[setup/native] %s\n' "$*" >&2; }

# header or tool -> Debian package
declare -A want=(
  [/usr/bin/cmake]=cmake
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
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  log "WARNING: missing ${missing[*]} and cannot apt-get install them; the native library will not be built"
  exit 0
fi
log "installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
  || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null; }
# a stale CMake cache from before the install would keep its failed library look-ups
rm -rf "$root/target/native/build"
