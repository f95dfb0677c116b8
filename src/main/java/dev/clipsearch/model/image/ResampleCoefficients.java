package dev.clipsearch.model.image;

/**
 * Bicubic resampling weights for one axis, computed the way Pillow's {@code Image.resize} computes them, for a window
 * {@code [from, to)} of the output pixels only (the centre crop): the weights of an output pixel depend only on its
 * own index and the full input/output sizes, so skipping the pixels the crop throws away changes nothing.
 *
 * <p>Pillow's rules reproduced here: the filter is stretched by the downscale factor (antialiasing), each output
 * pixel's taps are the input pixels within the stretched support around its centre, weights are normalised to sum
 * 1 in double precision, and, for 8-bit images, turned into 22-bit fixed point rounded half away from zero.
 */
final class ResampleCoefficients {
  /** 32 - 8 - 2: 8 bits of result and 2 spare bits, since negative lobes can push sums below 0 or above 1. */
  static final int PRECISION_BITS = 22;
  /** Added to every fixed-point sum so that the final {@code >> PRECISION_BITS} rounds instead of truncating. */
  static final int ROUNDING = 1 << (PRECISION_BITS - 1);

  private static final double BICUBIC_SUPPORT = 2.0;

  /** First input index used by each output pixel of the window. */
  final int[] first;
  /** Number of input pixels (taps) used by each output pixel of the window. */
  final int[] count;
  /** Stride of the weight arrays: the largest possible tap count. */
  final int stride;
  /** Normalised weights, {@code stride} per output pixel (used as they are by 16-bit images). */
  final double[] weights;
  /** The same in 22-bit fixed point (used by 8-bit images). */
  final int[] fixed;

  private ResampleCoefficients(int n, int stride) {
    this.first = new int[n];
    this.count = new int[n];
    this.stride = stride;
    this.weights = new double[n * stride];
    this.fixed = new int[n * stride];
  }

  /** First input index needed by the window, and one past the last. */
  int inputStart() {
    return first[0];
  }

  int inputEnd() {
    int last = first.length - 1;
    return first[last] + count[last]; // first and first + count never decrease along the axis
  }

  static ResampleCoefficients bicubic(int inSize, int outSize, int from, int to) {
    double scale = (double) inSize / outSize;
    double filterScale = Math.max(scale, 1.0); // downscaling widens the kernel: that is the antialiasing
    double support = BICUBIC_SUPPORT * filterScale;
    int stride = (int) Math.ceil(support) * 2 + 1;
    ResampleCoefficients c = new ResampleCoefficients(to - from, stride);
    double inverseFilterScale = 1.0 / filterScale;
    for (int out = from; out < to; out++) {
      int i = out - from;
      double center = (out + 0.5) * scale;
      // (int) truncates towards zero as C does; the + 0.5 is Pillow's rounding of the support edges
      int xmin = Math.max(0, (int) (center - support + 0.5));
      int xmax = Math.min(inSize, (int) (center + support + 0.5)) - xmin;
      double sum = 0.0;
      int base = i * stride;
      for (int x = 0; x < xmax; x++) {
        double w = bicubic((x + xmin - center + 0.5) * inverseFilterScale);
        c.weights[base + x] = w;
        sum += w;
      }
      for (int x = 0; x < xmax; x++) {
        if (sum != 0.0) {
          c.weights[base + x] /= sum;
        }
        double w = c.weights[base + x];
        c.fixed[base + x] = w < 0 ? (int) (-0.5 + w * (1 << PRECISION_BITS)) : (int) (0.5 + w * (1 << PRECISION_BITS));
      }
      c.first[i] = xmin;
      c.count[i] = xmax;
    }
    return c;
  }

  /** Keys' cubic convolution kernel with a = -0.5 (Catmull-Rom), as Pillow writes it. */
  static double bicubic(double x) {
    final double a = -0.5;
    if (x < 0.0) {
      x = -x;
    }
    if (x < 1.0) {
      return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
    }
    if (x < 2.0) {
      return (((x - 5) * x + 8) * x - 4) * a;
    }
    return 0.0;
  }

  /** The 8-bit result of a fixed-point sum: Pillow's clip8 (shift, then clamp to 0..255). */
  static int clip8(int sum) {
    int v = sum >> PRECISION_BITS;
    return v < 0 ? 0 : Math.min(v, 255);
  }
}
