// Pillow-exact resampling of the crop window. Integer arithmetic for 8-bit images and the same sequence of double
// operations as Pillow for I;16, so results are bit-identical (the build disables FMA contraction for this reason).
#include "clipimg/resample.h"

#include <algorithm>
#include <cmath>

namespace clipimg {
namespace {

// Keys' cubic convolution kernel with a = -0.5, written as Pillow writes it.
double bicubic(double x) {
  const double a = -0.5;
  if (x < 0.0) x = -x;
  if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
  if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
  return 0.0;
}

inline uint8_t clip8(int32_t sum) {
  int32_t v = sum >> Coefficients::kPrecisionBits;
  return static_cast<uint8_t>(v < 0 ? 0 : (v > 255 ? 255 : v));
}

inline int clip8i(int v) {
  return v < 0 ? 0 : std::min(v, 255);
}

// Pillow's ROUND_UP, then each byte clipped on its own (CLIP8(v % 256), CLIP8(v >> 8)).
uint16_t store16(double sum) {
  int v = static_cast<int>(sum >= 0.0 ? sum + 0.5 : sum - 0.5);
  return static_cast<uint16_t>(clip8i(v >> 8) << 8 | clip8i(v % 256));
}

// One row of the horizontal pass for a fixed band count (the compiler unrolls the band loop).
template <int kBands>
void horizontal_row(const uint8_t* row, const Coefficients& c, uint8_t* out) {
  const int n = static_cast<int>(c.first.size());
  for (int x = 0; x < n; x++) {
    const uint8_t* p = row + static_cast<size_t>(c.first[x]) * kBands;
    const int32_t* k = c.fixed.data() + static_cast<size_t>(x) * c.stride;
    int32_t sums[kBands];
    for (int b = 0; b < kBands; b++) sums[b] = Coefficients::kRounding;
    for (int t = 0; t < c.count[x]; t++, p += kBands) {
      for (int b = 0; b < kBands; b++) sums[b] += p[b] * k[t];
    }
    for (int b = 0; b < kBands; b++) *out++ = clip8(sums[b]);
  }
}

}  // namespace

Coefficients bicubic_coefficients(int in_size, int out_size, int from, int to) {
  const double scale = static_cast<double>(in_size) / out_size;
  const double filter_scale = std::max(scale, 1.0);  // downscaling widens the kernel: the antialiasing
  const double support = 2.0 * filter_scale;
  Coefficients c;
  c.stride = static_cast<int>(std::ceil(support)) * 2 + 1;
  const int n = to - from;
  c.first.resize(n);
  c.count.resize(n);
  c.weights.assign(static_cast<size_t>(n) * c.stride, 0.0);
  c.fixed.assign(static_cast<size_t>(n) * c.stride, 0);
  const double inverse_filter_scale = 1.0 / filter_scale;
  for (int out = from; out < to; out++) {
    const int i = out - from;
    const double center = (out + 0.5) * scale;
    // Casts truncate towards zero as in C; the + 0.5 is Pillow's rounding of the support edges.
    const int xmin = std::max(0, static_cast<int>(center - support + 0.5));
    const int xmax = std::min(in_size, static_cast<int>(center + support + 0.5)) - xmin;
    double* w = c.weights.data() + static_cast<size_t>(i) * c.stride;
    int32_t* f = c.fixed.data() + static_cast<size_t>(i) * c.stride;
    double sum = 0.0;
    for (int x = 0; x < xmax; x++) {
      w[x] = bicubic((x + xmin - center + 0.5) * inverse_filter_scale);
      sum += w[x];
    }
    for (int x = 0; x < xmax; x++) {
      if (sum != 0.0) w[x] /= sum;
      const double scaled = w[x] * (1 << Coefficients::kPrecisionBits);
      f[x] = static_cast<int32_t>(w[x] < 0 ? -0.5 + scaled : 0.5 + scaled);  // half away from zero
    }
    c.first[i] = xmin;
    c.count[i] = std::max(xmax, 0);
  }
  return c;
}

std::vector<uint8_t> resize_bicubic8(const Image& src, int out_w, int out_h, int left, int top, int size) {
  const Coefficients h = bicubic_coefficients(src.width, out_w, left, left + size);
  const Coefficients v = bicubic_coefficients(src.height, out_h, top, top + size);
  const int bands = src.bands();
  const int row_start = v.input_start();
  const int rows = v.input_end() - row_start;
  const size_t row_length = static_cast<size_t>(size) * bands;
  // Horizontal pass into an 8-bit intermediate (rounded and clipped, as Pillow), over the rows the window needs.
  std::vector<uint8_t> mid(static_cast<size_t>(rows) * row_length);
  for (int r = 0; r < rows; r++) {
    const uint8_t* in = src.pixels.data() + static_cast<size_t>(row_start + r) * src.row_bytes();
    uint8_t* out = mid.data() + static_cast<size_t>(r) * row_length;
    switch (bands) {
      case 1:
        horizontal_row<1>(in, h, out);
        break;
      case 2:
        horizontal_row<2>(in, h, out);
        break;
      case 3:
        horizontal_row<3>(in, h, out);
        break;
      default:
        horizontal_row<4>(in, h, out);
        break;
    }
  }
  // Vertical pass: each output row is a weighted sum of whole intermediate rows (vectorises well).
  std::vector<uint8_t> out(static_cast<size_t>(size) * row_length);
  std::vector<int32_t> sums(row_length);
  for (int y = 0; y < size; y++) {
    std::fill(sums.begin(), sums.end(), Coefficients::kRounding);
    const int32_t* k = v.fixed.data() + static_cast<size_t>(y) * v.stride;
    for (int t = 0; t < v.count[y]; t++) {
      const uint8_t* in = mid.data() + static_cast<size_t>(v.first[y] - row_start + t) * row_length;
      const int32_t w = k[t];
      for (size_t i = 0; i < row_length; i++) sums[i] += in[i] * w;
    }
    uint8_t* o = out.data() + static_cast<size_t>(y) * row_length;
    for (size_t i = 0; i < row_length; i++) o[i] = clip8(sums[i]);
  }
  return out;
}

std::vector<uint16_t> resize_bicubic16(const Image& src, int out_w, int out_h, int left, int top, int size) {
  const Coefficients h = bicubic_coefficients(src.width, out_w, left, left + size);
  const Coefficients v = bicubic_coefficients(src.height, out_h, top, top + size);
  const int row_start = v.input_start();
  const int rows = v.input_end() - row_start;
  // Pillow sums I;16 in double with the unquantised weights and stores 16 bits after each pass.
  std::vector<uint16_t> mid(static_cast<size_t>(rows) * size);
  for (int r = 0; r < rows; r++) {
    const uint16_t* in = src.pixels16.data() + static_cast<size_t>(row_start + r) * src.width;
    for (int x = 0; x < size; x++) {
      const double* w = h.weights.data() + static_cast<size_t>(x) * h.stride;
      double sum = 0.0;
      for (int t = 0; t < h.count[x]; t++) sum += in[h.first[x] + t] * w[t];
      mid[static_cast<size_t>(r) * size + x] = store16(sum);
    }
  }
  std::vector<uint16_t> out(static_cast<size_t>(size) * size);
  std::vector<double> sums(size);
  for (int y = 0; y < size; y++) {
    std::fill(sums.begin(), sums.end(), 0.0);
    const double* w = v.weights.data() + static_cast<size_t>(y) * v.stride;
    for (int t = 0; t < v.count[y]; t++) {
      const uint16_t* in = mid.data() + static_cast<size_t>(v.first[y] - row_start + t) * size;
      for (int x = 0; x < size; x++) sums[x] += in[x] * w[t];
    }
    for (int x = 0; x < size; x++) out[static_cast<size_t>(y) * size + x] = store16(sums[x]);
  }
  return out;
}

namespace {

// Input index of output pixels from .. from + n - 1, or -1 where Pillow finds none. The position is accumulated by
// repeated addition, as Pillow does, so any rounding drift matches.
std::vector<int> nearest_indices(int in_size, int out_size, int from, int n) {
  const double step = static_cast<double>(in_size) / out_size;
  double position = step * 0.5;
  for (int i = 0; i < from; i++) position += step;
  std::vector<int> indices(n);
  for (int i = 0; i < n; i++, position += step) {
    const int index = position < 0.0 ? -1 : static_cast<int>(position);
    indices[i] = index < in_size ? index : -1;
  }
  return indices;
}

}  // namespace

std::vector<uint8_t> resize_nearest(const Image& src, int out_w, int out_h, int left, int top, int size) {
  const std::vector<int> columns = nearest_indices(src.width, out_w, left, size);
  const std::vector<int> rows = nearest_indices(src.height, out_h, top, size);
  std::vector<uint8_t> out(static_cast<size_t>(size) * size, 0);  // outside the input: index 0, as Pillow
  for (int y = 0; y < size; y++) {
    if (rows[y] < 0) continue;
    const uint8_t* in = src.pixels.data() + static_cast<size_t>(rows[y]) * src.width;
    for (int x = 0; x < size; x++) {
      if (columns[x] >= 0) out[static_cast<size_t>(y) * size + x] = in[columns[x]];
    }
  }
  return out;
}

}  // namespace clipimg
