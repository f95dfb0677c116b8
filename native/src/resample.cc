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

void horizontal_row_any(int bands, const uint8_t* row, const Coefficients& c, uint8_t* out) {
  switch (bands) {
    case 1:
      horizontal_row<1>(row, c, out);
      break;
    case 2:
      horizontal_row<2>(row, c, out);
      break;
    case 3:
      horizontal_row<3>(row, c, out);
      break;
    default:
      horizontal_row<4>(row, c, out);
      break;
  }
}

// Pillow 13 runs the vertical pass first when the image loses rows and loses more than twice as many rows as
// columns (found by probing Pillow; the Java twin is ResampleBicubic.verticalFirst). The order matters because the
// intermediate is rounded to 8 (or 16) bits, so the two orders differ by a level here and there.
bool vertical_first(int in_w, int in_h, int out_w, int out_h) {
  return out_h < in_h && in_h - out_h > 2 * (in_w - out_w);
}

// Vertical pass first, into full-width intermediate rows (only the columns the window reads are computed, so the
// horizontal pass can index them with absolute input columns), then the horizontal pass.
std::vector<uint8_t> vertical_then_horizontal8(const Image& src, const Coefficients& h, const Coefficients& v,
                                               int size) {
  const int bands = src.bands();
  const size_t in_row = src.row_bytes();
  const size_t col_begin = static_cast<size_t>(h.input_start()) * bands;
  const size_t col_count = static_cast<size_t>(h.input_end()) * bands - col_begin;
  std::vector<uint8_t> mid(static_cast<size_t>(size) * in_row);
  std::vector<int32_t> sums(col_count);
  for (int y = 0; y < size; y++) {
    std::fill(sums.begin(), sums.end(), Coefficients::kRounding);
    const int32_t* k = v.fixed.data() + static_cast<size_t>(y) * v.stride;
    for (int t = 0; t < v.count[y]; t++) {
      const uint8_t* in = src.pixels.data() + static_cast<size_t>(v.first[y] + t) * in_row + col_begin;
      const int32_t w = k[t];
      for (size_t i = 0; i < col_count; i++) sums[i] += in[i] * w;
    }
    uint8_t* m = mid.data() + static_cast<size_t>(y) * in_row + col_begin;
    for (size_t i = 0; i < col_count; i++) m[i] = clip8(sums[i]);
  }
  const size_t out_row = static_cast<size_t>(size) * bands;
  std::vector<uint8_t> out(static_cast<size_t>(size) * out_row);
  for (int y = 0; y < size; y++) {
    horizontal_row_any(bands, mid.data() + static_cast<size_t>(y) * in_row, h, out.data() + y * out_row);
  }
  return out;
}

std::vector<uint16_t> vertical_then_horizontal16(const Image& src, const Coefficients& h, const Coefficients& v,
                                                 int size) {
  const int col_begin = h.input_start();
  const int col_end = h.input_end();
  std::vector<uint16_t> mid(static_cast<size_t>(size) * src.width);
  for (int y = 0; y < size; y++) {
    const double* w = v.weights.data() + static_cast<size_t>(y) * v.stride;
    for (int x = col_begin; x < col_end; x++) {
      double sum = 0.0;
      for (int t = 0; t < v.count[y]; t++) {
        sum += src.pixels16[static_cast<size_t>(v.first[y] + t) * src.width + x] * w[t];
      }
      mid[static_cast<size_t>(y) * src.width + x] = store16(sum);
    }
  }
  std::vector<uint16_t> out(static_cast<size_t>(size) * size);
  for (int y = 0; y < size; y++) {
    const uint16_t* in = mid.data() + static_cast<size_t>(y) * src.width;
    for (int x = 0; x < size; x++) {
      const double* w = h.weights.data() + static_cast<size_t>(x) * h.stride;
      double sum = 0.0;
      for (int t = 0; t < h.count[x]; t++) sum += in[h.first[x] + t] * w[t];
      out[static_cast<size_t>(y) * size + x] = store16(sum);
    }
  }
  return out;
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
  if (vertical_first(src.width, src.height, out_w, out_h)) return vertical_then_horizontal8(src, h, v, size);
  const int bands = src.bands();
  const int row_start = v.input_start();
  const int rows = v.input_end() - row_start;
  const size_t row_length = static_cast<size_t>(size) * bands;
  // Horizontal pass into an 8-bit intermediate (rounded and clipped, as Pillow), over the rows the window needs.
  std::vector<uint8_t> mid(static_cast<size_t>(rows) * row_length);
  for (int r = 0; r < rows; r++) {
    const uint8_t* in = src.pixels.data() + static_cast<size_t>(row_start + r) * src.row_bytes();
    horizontal_row_any(bands, in, h, mid.data() + static_cast<size_t>(r) * row_length);
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
  if (vertical_first(src.width, src.height, out_w, out_h)) return vertical_then_horizontal16(src, h, v, size);
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
