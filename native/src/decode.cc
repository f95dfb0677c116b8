// Format sniffing (the same magic numbers as dev.clipsearch.model.image.ImageHeader) and the shared limit checks.
#include <cstring>
#include <string>

#include "clipimg/decode.h"
#include "clipimg/errors.h"

namespace clipimg {

void check_dimensions(int64_t width, int64_t height, const DecodeOptions& options) {
  if (width <= 0 || height <= 0) {
    bad_image("image declares no pixels (" + std::to_string(width) + "x" + std::to_string(height) + ")");
  }
  // Division, not width * height: a forged header can make the product overflow. Sides stay within int for the
  // decoders and the resampler whatever limit the caller set.
  constexpr int64_t kMaxSide = int64_t{1} << 30;
  if (width > kMaxSide || height > kMaxSide || width > options.max_pixels / height) {
    fail(ErrorKind::kTooLarge, "image too large: " + std::to_string(width) + "x" + std::to_string(height) +
                                   " is over " + std::to_string(options.max_pixels) + " pixels");
  }
}

Image decode(const uint8_t* data, size_t length, const DecodeOptions& options) {
  if (data == nullptr || length == 0) bad_image("empty image");
  if (static_cast<int64_t>(length) > options.max_bytes) {
    fail(ErrorKind::kTooLarge,
         "image too large: " + std::to_string(length) + " bytes is over " + std::to_string(options.max_bytes));
  }
  auto starts = [&](size_t at, const char* magic) {
    const size_t n = std::strlen(magic);
    return length >= at + n && std::memcmp(data + at, magic, n) == 0;
  };
  if (starts(0, "\xFF\xD8\xFF")) return decode_jpeg(data, length, options);
  if (starts(0, "\x89PNG\r\n\x1A\n")) return decode_png(data, length, options);
  if (starts(0, "GIF87a") || starts(0, "GIF89a")) return decode_gif(data, length, options);
  if (starts(0, "BM")) return decode_bmp(data, length, options);
  if (starts(0, "RIFF") && starts(8, "WEBP")) return decode_webp(data, length, options);
  bad_image("unsupported or unrecognised image format (JPEG, PNG, GIF, BMP and WebP are accepted)");
}

}  // namespace clipimg
