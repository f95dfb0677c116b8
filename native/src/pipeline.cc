// The CLIP transform after decoding, mirroring dev.clipsearch.model.image.JavaImagePreprocessor step for step:
// torchvision's Resize(S) size and CenterCrop offset, Pillow's per-mode resize, convert('RGB') after the crop, then
// ToTensor and Normalize in float32.
#include "clipimg/pipeline.h"

#include <algorithm>
#include <cmath>

#include "clipimg/errors.h"
#include "clipimg/resample.h"

namespace clipimg {
namespace {

// v * a / 255 rounded, in Pillow's exact integer form (MULDIV255).
inline int mul_div255(int v, int a) {
  int t = v * a + 128;
  return ((t >> 8) + t) >> 8;
}

// Pillow's RGBa/La -> RGBA/LA: divide by alpha, truncating; alpha 0 and 255 keep the value.
inline int unpremultiply(int v, int a) {
  if (a == 255 || a == 0) return v;
  return std::min(255, 255 * v / a);
}

// torchvision's Resize(S): shorter side S, longer int(S * long / short) in double, truncated.
void resized_size(int width, int height, int size, int* out_w, int* out_h) {
  const int shorter = std::min(width, height);
  const int longer = std::max(width, height);
  const int new_longer = static_cast<int>(static_cast<double>(size) * longer / shorter);
  *out_w = width <= height ? size : new_longer;
  *out_h = width <= height ? new_longer : size;
}

// torchvision's CenterCrop offset, int(round((length - S) / 2.0)) with Python's half-to-even rounding.
int crop_offset(int length, int size) {
  return static_cast<int>(std::nearbyint((length - size) / 2.0));
}

// A packed copy with colour bands multiplied by alpha: what Pillow resizes for RGBA and LA.
Image premultiplied(const Image& src) {
  Image out;
  out.mode = src.mode;
  out.width = src.width;
  out.height = src.height;
  out.pixels = src.pixels;
  const int bands = src.bands();
  for (size_t p = 0; p < out.pixels.size(); p += bands) {
    const int a = out.pixels[p + bands - 1];
    for (int b = 0; b < bands - 1; b++) out.pixels[p + b] = static_cast<uint8_t>(mul_div255(out.pixels[p + b], a));
  }
  return out;
}

// convert('RGB') of n pixels of the given mode, each `stride` bytes apart in rows of `row_stride` bytes.
void to_rgb(Mode mode, const uint8_t* data, size_t row_stride, int size, bool premultiplied_alpha,
            const std::array<uint32_t, 256>& palette, uint8_t* rgb) {
  const int bands = bands_of(mode);
  for (int y = 0; y < size; y++) {
    const uint8_t* p = data + y * row_stride;
    for (int x = 0; x < size; x++, p += bands, rgb += 3) {
      int r, g, b;
      switch (mode) {
        case Mode::kRGB:
          r = p[0], g = p[1], b = p[2];
          break;
        case Mode::kRGBA: {
          const int a = premultiplied_alpha ? p[3] : 255;
          r = unpremultiply(p[0], a), g = unpremultiply(p[1], a), b = unpremultiply(p[2], a);
          break;
        }
        case Mode::kL:
          r = g = b = p[0];
          break;
        case Mode::kLA:
          r = g = b = unpremultiply(p[0], premultiplied_alpha ? p[1] : 255);
          break;
        case Mode::kCMYK: {  // Pillow's naive formula, no colour management
          const int not_k = 255 - p[3];
          r = std::max(0, not_k - mul_div255(p[0], not_k));
          g = std::max(0, not_k - mul_div255(p[1], not_k));
          b = std::max(0, not_k - mul_div255(p[2], not_k));
          break;
        }
        case Mode::kP: {
          const uint32_t c = palette[p[0]];
          r = c >> 16 & 0xFF, g = c >> 8 & 0xFF, b = c & 0xFF;
          break;
        }
        default:
          fail(ErrorKind::kInternal, "not an 8-bit mode");
      }
      rgb[0] = static_cast<uint8_t>(r);
      rgb[1] = static_cast<uint8_t>(g);
      rgb[2] = static_cast<uint8_t>(b);
    }
  }
}

// I;16 -> RGB: Pillow clips (above 255 is white) rather than scaling down.
void grey16_to_rgb(const uint16_t* samples, size_t row_stride, int size, uint8_t* rgb) {
  for (int y = 0; y < size; y++) {
    for (int x = 0; x < size; x++, rgb += 3) {
      const uint8_t v = static_cast<uint8_t>(std::min<int>(samples[y * row_stride + x], 255));
      rgb[0] = rgb[1] = rgb[2] = v;
    }
  }
}

}  // namespace

std::vector<uint8_t> rgb_crop(const Image& src, int size) {
  int out_w, out_h;
  resized_size(src.width, src.height, size, &out_w, &out_h);
  const int left = crop_offset(out_w, size);
  const int top = crop_offset(out_h, size);
  std::vector<uint8_t> rgb(static_cast<size_t>(size) * size * 3);
  const size_t window_bytes = static_cast<size_t>(size) * src.bands();
  if (out_w == src.width && out_h == src.height) {  // short side already S: Pillow skips the resize
    if (src.mode == Mode::kI16) {
      grey16_to_rgb(src.pixels16.data() + static_cast<size_t>(top) * src.width + left, src.width, size, rgb.data());
    } else {
      const uint8_t* origin =
          src.pixels.data() + static_cast<size_t>(top) * src.row_bytes() + static_cast<size_t>(left) * src.bands();
      to_rgb(src.mode, origin, src.row_bytes(), size, false, src.palette, rgb.data());
    }
    return rgb;
  }
  switch (src.mode) {
    case Mode::kP: {  // Pillow resizes palette images with NEAREST whatever the filter
      const std::vector<uint8_t> window = resize_nearest(src, out_w, out_h, left, top, size);
      to_rgb(src.mode, window.data(), size, size, false, src.palette, rgb.data());
      break;
    }
    case Mode::kI16: {
      const std::vector<uint16_t> window = resize_bicubic16(src, out_w, out_h, left, top, size);
      grey16_to_rgb(window.data(), size, size, rgb.data());
      break;
    }
    case Mode::kRGBA:
    case Mode::kLA: {  // premultiplied, so transparent pixels do not bleed into their neighbours
      const std::vector<uint8_t> window = resize_bicubic8(premultiplied(src), out_w, out_h, left, top, size);
      to_rgb(src.mode, window.data(), window_bytes, size, true, src.palette, rgb.data());
      break;
    }
    default: {
      const std::vector<uint8_t> window = resize_bicubic8(src, out_w, out_h, left, top, size);
      to_rgb(src.mode, window.data(), window_bytes, size, false, src.palette, rgb.data());
      break;
    }
  }
  return rgb;
}

std::vector<uint8_t> preprocess_rgb(const uint8_t* data, size_t length, const Transform& transform) {
  DecodeOptions options = transform.decode;
  // Fast mode keeps the DCT-scaled JPEG at least 1.5 S on its shorter side, so the exact bicubic filter still has
  // room to antialias (Pillow's reducing_gap idea); see dct_scale in decode_jpeg.cc for the measurements.
  options.dct_min_side = transform.fast ? (transform.size * 3 + 1) / 2 : 0;
  return rgb_crop(decode(data, length, options), transform.size);
}

void preprocess(const uint8_t* data, size_t length, const Transform& t, float* dst) {
  if (t.size < 1 || t.size > 4096) fail(ErrorKind::kInternal, "image size out of range");
  // (v / 255 - mean) / std per channel and byte value, in float32 as torch computes it (768 divisions: cheaper than
  // keeping state across calls).
  float table[3][256];
  for (int c = 0; c < 3; c++) {
    for (int v = 0; v < 256; v++) table[c][v] = (static_cast<float>(v) / 255.0f - t.mean[c]) / t.std[c];
  }
  const std::vector<uint8_t> rgb = preprocess_rgb(data, length, t);
  const size_t plane = static_cast<size_t>(t.size) * t.size;
  for (size_t i = 0; i < plane; i++) {
    dst[i] = table[0][rgb[3 * i]];
    dst[plane + i] = table[1][rgb[3 * i + 1]];
    dst[2 * plane + i] = table[2][rgb[3 * i + 2]];
  }
}

}  // namespace clipimg
