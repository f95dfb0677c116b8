// libFuzzer target (clang only: cmake -DCLIPIMG_LIBFUZZER=ON -DCLIPIMG_SANITIZE=ON with CXX=clang++). Seed it with
// src/test/resources/fixtures/images. CI runs the gcc-built standalone loop in check_images.cc instead.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "clipimg/errors.h"
#include "clipimg/pipeline.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  clipimg::Transform t;
  t.size = 32;
  t.fast = size % 2 == 0;
  t.decode.max_pixels = 4 << 20;
  std::vector<float> out(3 * 32 * 32);
  try {
    clipimg::preprocess(data, size, t, out.data());
  } catch (const clipimg::ImageError&) {
  }
  return 0;
}
