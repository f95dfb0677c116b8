// Decoded pixels as Pillow's Image.open would hold them: the mode decides how the image is resized (P with
// NEAREST, RGBA/LA premultiplied, I;16 in 16 bits, the rest bicubic 8-bit), exactly as on the Java side
// (dev.clipsearch.model.image.PillowImage).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace clipimg {

enum class Mode { kL, kLA, kRGB, kRGBA, kCMYK, kP, kI16 };

inline int bands_of(Mode m) {
  switch (m) {
    case Mode::kLA:
      return 2;
    case Mode::kRGB:
      return 3;
    case Mode::kRGBA:
    case Mode::kCMYK:
      return 4;
    default:
      return 1;
  }
}

struct Image {
  Mode mode = Mode::kRGB;
  int width = 0;
  int height = 0;
  // 8-bit samples, interleaved in Pillow's band order, rows packed (width * bands bytes). Unused for kI16.
  std::vector<uint8_t> pixels;
  // kI16 only: one 16-bit sample per pixel, rows packed.
  std::vector<uint16_t> pixels16;
  // kP only: 0xRRGGBB per index; indices past the file's palette stay black, as in Pillow.
  std::array<uint32_t, 256> palette{};

  int bands() const { return bands_of(mode); }
  size_t row_bytes() const { return static_cast<size_t>(width) * bands(); }
};

}  // namespace clipimg
