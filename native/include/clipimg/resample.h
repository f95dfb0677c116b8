// Pillow's resize filters (libImaging/Resample.c), evaluated for the centre-crop window only. Ported from the Java
// side (ResampleCoefficients, ResampleBicubic, ResampleBicubic16, ResampleNearest), which is bit-identical to Pillow.
#pragma once

#include <cstdint>
#include <vector>

#include "clipimg/image.h"

namespace clipimg {

// Weights of output pixels [from, to) of an in_size -> out_size bicubic resize along one axis.
struct Coefficients {
  static constexpr int kPrecisionBits = 22;  // 32 - 8 - 2, as Pillow: 8 result bits, 2 for the negative lobes
  static constexpr int kRounding = 1 << (kPrecisionBits - 1);

  std::vector<int> first;  // first input index per output pixel
  std::vector<int> count;  // number of taps per output pixel
  int stride = 0;          // largest possible tap count
  std::vector<double> weights;
  std::vector<int32_t> fixed;

  int input_start() const { return first.front(); }
  int input_end() const { return first.back() + count.back(); }
};

Coefficients bicubic_coefficients(int in_size, int out_size, int from, int to);

// The size x size window at (left, top) of src resized to out_w x out_h, interleaved with src's band count.
std::vector<uint8_t> resize_bicubic8(const Image& src, int out_w, int out_h, int left, int top, int size);
std::vector<uint16_t> resize_bicubic16(const Image& src, int out_w, int out_h, int left, int top, int size);
std::vector<uint8_t> resize_nearest(const Image& src, int out_w, int out_h, int left, int top, int size);

}  // namespace clipimg
