package dev.clipsearch.model;

/**
 * Pillow's bicubic resize of a 16-bit greyscale ("I;16", e.g. a 16-bit grey PNG) image, for the crop window only.
 * Unlike the 8-bit path Pillow sums in double precision with the unquantised weights, rounds half away from zero, and
 * stores the two bytes of the result clipped separately: a negative sum becomes 0, a sum above 65535 keeps its low
 * byte under a high byte of 255. Summing each pixel's taps in the same order gives the same doubles as Pillow.
 */
final class ResampleBicubic16 {
  private ResampleBicubic16() {}

  /** The {@code size x size} window at ({@code left}, {@code top}) of {@code src} resized to {@code outW x outH}. */
  static int[] resizeWindow(PillowImage src, int outW, int outH, int left, int top, int size) {
    ResampleCoefficients horizontal = ResampleCoefficients.bicubic(src.width, outW, left, left + size);
    ResampleCoefficients vertical = ResampleCoefficients.bicubic(src.height, outH, top, top + size);
    int rowStart = vertical.inputStart();
    int rows = vertical.inputEnd() - rowStart;
    int[] intermediate = new int[rows * size];
    double[] w = horizontal.weights;
    for (int r = 0; r < rows; r++) {
      int srcRow = src.offset + (rowStart + r) * src.rowStride;
      for (int x = 0; x < size; x++) {
        int p = srcRow + horizontal.first[x] * src.pixelStride;
        int kBase = x * horizontal.stride;
        double sum = 0.0;
        for (int t = 0; t < horizontal.count[x]; t++, p += src.pixelStride) {
          sum += (src.samples16[p] & 0xFFFF) * w[kBase + t];
        }
        intermediate[r * size + x] = store16(sum);
      }
    }
    int[] out = new int[size * size];
    double[] sums = new double[size];
    double[] k = vertical.weights;
    for (int y = 0; y < size; y++) {
      java.util.Arrays.fill(sums, 0.0);
      for (int t = 0; t < vertical.count[y]; t++) {
        double weight = k[y * vertical.stride + t];
        int s = (vertical.first[y] - rowStart + t) * size;
        for (int x = 0; x < size; x++) {
          sums[x] += intermediate[s + x] * weight;
        }
      }
      for (int x = 0; x < size; x++) {
        out[y * size + x] = store16(sums[x]);
      }
    }
    return out;
  }

  /** Pillow's ROUND_UP, then each byte clipped on its own (CLIP8(v % 256), CLIP8(v >> 8)). */
  static int store16(double sum) {
    int v = (int) (sum >= 0.0 ? sum + 0.5 : sum - 0.5);
    int low = clip8(v % 256);
    int high = clip8(v >> 8);
    return high << 8 | low;
  }

  private static int clip8(int v) {
    return v < 0 ? 0 : Math.min(v, 255);
  }
}
