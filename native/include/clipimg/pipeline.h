// The whole CLIP image transform: decode, shortest-side bicubic resize of the crop window, centre crop,
// convert('RGB'), ToTensor, Normalize. Stateless and thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "clipimg/decode.h"
#include "clipimg/image.h"

namespace clipimg {

struct Transform {
  int size = 224;
  float mean[3] = {0.48145466f, 0.4578275f, 0.40821073f};
  float std[3] = {0.26862954f, 0.26130258f, 0.27577711f};
  bool fast = false;  // DCT-domain JPEG downscale before the exact filter
  DecodeOptions decode;
};

// The 8-bit RGB size x size crop (row-major, 3 bytes per pixel) that the reference hands to ToTensor.
std::vector<uint8_t> rgb_crop(const Image& image, int size);

// Writes 3 * size * size float32 values, CHW, at dst. Throws ImageError.
void preprocess(const uint8_t* data, size_t length, const Transform& transform, float* dst);

// decode + rgb_crop, for parity tests.
std::vector<uint8_t> preprocess_rgb(const uint8_t* data, size_t length, const Transform& transform);

}  // namespace clipimg
