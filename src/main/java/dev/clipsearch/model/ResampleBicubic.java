package dev.clipsearch.model;

/**
 * Pillow's 8-bit bicubic resize ({@code Image.resize(size, BICUBIC)} on L/RGB/CMYK/RGBa/La images), evaluated for
 * the centre-crop window only: a horizontal pass into an 8-bit intermediate (rounded and clipped, as Pillow does),
 * over just the input rows the vertical pass will read, then the vertical pass. Integer arithmetic throughout, so
 * the result is bit-identical to Pillow's.
 */
final class ResampleBicubic {
  private ResampleBicubic() {}

  /**
   * Resizes {@code src} to {@code outW x outH} and returns the {@code size x size} window at ({@code left}, {@code top})
   * as interleaved bytes, {@code src.bands} per pixel.
   */
  static byte[] resizeWindow(PillowImage src, int outW, int outH, int left, int top, int size) {
    ResampleCoefficients horizontal = ResampleCoefficients.bicubic(src.width, outW, left, left + size);
    ResampleCoefficients vertical = ResampleCoefficients.bicubic(src.height, outH, top, top + size);
    int rowStart = vertical.inputStart();
    int rows = vertical.inputEnd() - rowStart;
    int rowLength = size * src.bands;
    byte[] intermediate = new byte[rows * rowLength];
    for (int r = 0; r < rows; r++) {
      int srcRow = src.offset + (rowStart + r) * src.rowStride;
      if (src.bands == 3) {
        horizontal3(src, srcRow, horizontal, intermediate, r * rowLength);
      } else {
        horizontalAny(src, srcRow, horizontal, intermediate, r * rowLength);
      }
    }
    byte[] out = new byte[size * rowLength];
    vertical(intermediate, rowStart, rowLength, vertical, out);
    return out;
  }

  private static void horizontal3(PillowImage src, int srcRow, ResampleCoefficients c, byte[] dst, int d) {
    byte[] data = src.data;
    int ps = src.pixelStride;
    int o0 = src.bandOffsets[0];
    int o1 = src.bandOffsets[1];
    int o2 = src.bandOffsets[2];
    int[] k = c.fixed;
    for (int x = 0; x < c.first.length; x++) {
      int p = srcRow + c.first[x] * ps;
      int kBase = x * c.stride;
      int kEnd = kBase + c.count[x];
      int s0 = ResampleCoefficients.ROUNDING;
      int s1 = s0;
      int s2 = s0;
      for (int i = kBase; i < kEnd; i++, p += ps) {
        int w = k[i];
        s0 += (data[p + o0] & 0xFF) * w;
        s1 += (data[p + o1] & 0xFF) * w;
        s2 += (data[p + o2] & 0xFF) * w;
      }
      dst[d++] = (byte) ResampleCoefficients.clip8(s0);
      dst[d++] = (byte) ResampleCoefficients.clip8(s1);
      dst[d++] = (byte) ResampleCoefficients.clip8(s2);
    }
  }

  private static void horizontalAny(PillowImage src, int srcRow, ResampleCoefficients c, byte[] dst, int d) {
    byte[] data = src.data;
    int ps = src.pixelStride;
    int bands = src.bands;
    int[] k = c.fixed;
    int[] sums = new int[bands];
    for (int x = 0; x < c.first.length; x++) {
      int p = srcRow + c.first[x] * ps;
      int kBase = x * c.stride;
      int kEnd = kBase + c.count[x];
      java.util.Arrays.fill(sums, ResampleCoefficients.ROUNDING);
      for (int i = kBase; i < kEnd; i++, p += ps) {
        int w = k[i];
        for (int b = 0; b < bands; b++) {
          sums[b] += (data[p + src.bandOffsets[b]] & 0xFF) * w;
        }
      }
      for (int b = 0; b < bands; b++) {
        dst[d++] = (byte) ResampleCoefficients.clip8(sums[b]);
      }
    }
  }

  /** Each output row is a weighted sum of whole intermediate rows: accumulate row by row (cache friendly). */
  private static void vertical(byte[] src, int rowStart, int rowLength, ResampleCoefficients c, byte[] dst) {
    int[] sums = new int[rowLength];
    int[] k = c.fixed;
    for (int y = 0; y < c.first.length; y++) {
      java.util.Arrays.fill(sums, ResampleCoefficients.ROUNDING);
      int kBase = y * c.stride;
      for (int t = 0; t < c.count[y]; t++) {
        int w = k[kBase + t];
        int s = (c.first[y] - rowStart + t) * rowLength;
        for (int i = 0; i < rowLength; i++) {
          sums[i] += (src[s + i] & 0xFF) * w;
        }
      }
      int d = y * rowLength;
      for (int i = 0; i < rowLength; i++) {
        dst[d + i] = (byte) ResampleCoefficients.clip8(sums[i]);
      }
    }
  }
}
