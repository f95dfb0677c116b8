// Uncompressed BMP (1/4/8-bit palette, 24-bit BGR), the variants cameras and image tools write. Everything else
// (RLE, 16/32-bit bit fields, embedded JPEG/PNG) is reported as unsupported and decoded by the Java path.
// Pillow's modes: 24-bit is RGB, a palette image is P, or L when its palette (of more than 2 entries) is the
// identity grey ramp.
#include <cstring>
#include <string>

#include "clipimg/decode.h"
#include "clipimg/errors.h"

namespace clipimg {
namespace {

class Bytes {
 public:
  Bytes(const uint8_t* data, size_t length) : data_(data), length_(length) {}
  uint32_t u16(size_t at) const { return need(at, 2), data_[at] | data_[at + 1] << 8; }
  uint32_t u32(size_t at) const { return need(at, 4), u16(at) | u16(at + 2) << 16; }
  int32_t i32(size_t at) const { return static_cast<int32_t>(u32(at)); }
  const uint8_t* at(size_t offset, size_t n) const { return need(offset, n), data_ + offset; }
  size_t length() const { return length_; }

 private:
  void need(size_t at, size_t n) const {
    if (at > length_ || n > length_ - at) bad_image("truncated BMP image");
  }
  const uint8_t* data_;
  size_t length_;
};

}  // namespace

Image decode_bmp(const uint8_t* data, size_t length, const DecodeOptions& options) {
  const Bytes b(data, length);
  const uint32_t pixel_offset = b.u32(10);
  const uint32_t dib_size = b.u32(14);
  int64_t width, height;
  uint32_t bits, compression = 0, colours_used = 0;
  size_t palette_entry;  // OS/2 palettes have 3 bytes per entry, Windows ones 4
  bool top_down = false;
  if (dib_size == 12) {
    width = b.u16(18);
    height = b.u16(20);
    bits = b.u16(24);
    palette_entry = 3;
  } else if (dib_size >= 40 && dib_size <= 124) {
    width = b.i32(18);
    const int32_t h = b.i32(22);
    top_down = h < 0;
    height = h < 0 ? -int64_t{h} : h;
    bits = b.u16(28);
    compression = b.u32(30);
    colours_used = b.u32(46);
    palette_entry = 4;
  } else {
    unsupported("BMP with a " + std::to_string(dib_size) + "-byte header");
  }
  check_dimensions(width, height, options);
  if (compression != 0) unsupported("compressed BMP (compression " + std::to_string(compression) + ")");
  if (bits != 1 && bits != 4 && bits != 8 && bits != 24) unsupported(std::to_string(bits) + "-bit BMP");

  Image img;
  img.width = static_cast<int>(width);
  img.height = static_cast<int>(height);
  if (bits <= 8) {
    const uint32_t max_colours = 1u << bits;
    const uint32_t colours = colours_used == 0 || colours_used > max_colours ? max_colours : colours_used;
    const uint8_t* pal = b.at(14 + size_t{dib_size}, colours * palette_entry);
    bool grey_ramp = colours > 2;
    for (uint32_t i = 0; i < colours; i++) {
      const uint8_t* e = pal + i * palette_entry;  // B, G, R(, reserved)
      img.palette[i] = static_cast<uint32_t>(e[2]) << 16 | e[1] << 8 | e[0];
      grey_ramp = grey_ramp && e[0] == i && e[1] == i && e[2] == i;
    }
    img.mode = grey_ramp ? Mode::kL : Mode::kP;  // L: index == grey level
  } else {
    img.mode = Mode::kRGB;
  }
  const size_t stride = ((static_cast<size_t>(img.width) * bits + 31) / 32) * 4;
  const uint8_t* rows = b.at(pixel_offset, stride * img.height);
  img.pixels.resize(img.row_bytes() * img.height);
  for (int y = 0; y < img.height; y++) {
    const uint8_t* in = rows + static_cast<size_t>(top_down ? y : img.height - 1 - y) * stride;
    uint8_t* out = img.pixels.data() + static_cast<size_t>(y) * img.row_bytes();
    if (bits == 24) {
      for (int x = 0; x < img.width; x++, in += 3, out += 3) {
        out[0] = in[2];
        out[1] = in[1];
        out[2] = in[0];
      }
    } else {
      const int per_byte = 8 / static_cast<int>(bits);
      const int mask = (1 << bits) - 1;
      for (int x = 0; x < img.width; x++) {
        const int shift = 8 - static_cast<int>(bits) * (x % per_byte + 1);  // most significant bits first
        out[x] = static_cast<uint8_t>(in[x / per_byte] >> shift & mask);
      }
    }
  }
  return img;
}

}  // namespace clipimg
