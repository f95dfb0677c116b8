// Decoding of encoded image bytes (JPEG, PNG, GIF first frame, BMP, WebP) into the samples Pillow would hold,
// with limits checked from each format's header before any pixel memory is allocated.
#pragma once

#include <cstddef>
#include <cstdint>

#include "clipimg/image.h"

namespace clipimg {

struct DecodeOptions {
  // Pillow's MAX_IMAGE_PIXELS warning level, as ImageDecoder.DEFAULT_MAX_PIXELS.
  int64_t max_pixels = 89478485;
  int64_t max_bytes = int64_t{256} << 20;
  // Fast mode: a JPEG may be scaled down in the DCT domain by 1/2, 1/4 or 1/8 as long as its shorter side stays
  // >= this many pixels. 0 decodes at full size (exact mode).
  int dct_min_side = 0;
};

Image decode(const uint8_t* data, size_t length, const DecodeOptions& options);

// Per-format decoders, called by decode() after the format is sniffed and the byte limit checked.
Image decode_jpeg(const uint8_t* data, size_t length, const DecodeOptions& options);
Image decode_png(const uint8_t* data, size_t length, const DecodeOptions& options);
Image decode_gif(const uint8_t* data, size_t length, const DecodeOptions& options);
Image decode_bmp(const uint8_t* data, size_t length, const DecodeOptions& options);
Image decode_webp(const uint8_t* data, size_t length, const DecodeOptions& options);

// Throws kTooLarge or kBadImage unless 1 <= width, height and width * height <= max_pixels.
void check_dimensions(int64_t width, int64_t height, const DecodeOptions& options);

}  // namespace clipimg
