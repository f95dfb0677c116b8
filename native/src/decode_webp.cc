// WebP through libwebp, which is what Pillow uses, so lossy files decode to Pillow's exact pixels (the Java path's
// own VP8 decoder does not). Animated files are left to the Java path.
#include <webp/decode.h>

#include "clipimg/decode.h"
#include "clipimg/errors.h"

namespace clipimg {

Image decode_webp(const uint8_t* data, size_t length, const DecodeOptions& options) {
  WebPBitstreamFeatures features;
  const VP8StatusCode status = WebPGetFeatures(data, length, &features);
  if (status == VP8_STATUS_NOT_ENOUGH_DATA) bad_image("truncated WebP image");
  if (status != VP8_STATUS_OK) bad_image("corrupt WebP image (libwebp status " + std::to_string(status) + ")");
  if (features.has_animation) unsupported("animated WebP");
  check_dimensions(features.width, features.height, options);
  Image img;
  img.mode = features.has_alpha ? Mode::kRGBA : Mode::kRGB;  // Pillow's modes for the two cases
  img.width = features.width;
  img.height = features.height;
  img.pixels.resize(img.row_bytes() * img.height);
  const int stride = static_cast<int>(img.row_bytes());
  const uint8_t* ok = features.has_alpha
                          ? WebPDecodeRGBAInto(data, length, img.pixels.data(), img.pixels.size(), stride)
                          : WebPDecodeRGBInto(data, length, img.pixels.data(), img.pixels.size(), stride);
  if (ok == nullptr) bad_image("corrupt or truncated WebP image");
  return img;
}

}  // namespace clipimg
