package dev.clipsearch.model.image;

import java.util.function.IntBinaryOperator;

/**
 * Pillow's bicubic resize of a 16-bit greyscale ("I;16", e.g. a 16-bit grey PNG) image, for the crop window only.
 * Unlike the 8-bit path Pillow sums in double precision with the unquantised weights, rounds half away from zero, and
 * stores the two bytes of the result clipped separately: a negative sum becomes 0, a sum above 65535 keeps its low
 * byte under a high byte of 255. Summing each pixel's taps in the same order gives the same doubles as Pillow. The
 * pass order follows {@link ResampleBicubic#verticalFirst}, as in Pillow.
 */
final class ResampleBicubic16 {
  private ResampleBicubic16() {}

  /** The {@code size x size} window at ({@code left}, {@code top}) of {@code src} resized to {@code outW x outH}. */
  static int[] resizeWindow(PillowImage src, int outW, int outH, int left, int top, int size) {
    ResampleCoefficients horizontal = ResampleCoefficients.bicubic(src.width, outW, left, left + size);
    ResampleCoefficients vertical = ResampleCoefficients.bicubic(src.height, outH, top, top + size);
    IntBinaryOperator sample = (x, y) -> src.samples16[src.offset + y * src.rowStride + x * src.pixelStride] & 0xFFFF;
    if (ResampleBicubic.verticalFirst(src.width, src.height, outW, outH)) {
      int colStart = horizontal.inputStart();
      int cols = horizontal.inputEnd() - colStart;
      int[] columns = pass(sample, cols, vertical, false, colStart, 0);
      return pass((x, y) -> columns[y * cols + x], size, horizontal, true, 0, colStart);
    }
    int rowStart = vertical.inputStart();
    int rows = vertical.inputEnd() - rowStart;
    int[] band = pass(sample, rows, horizontal, true, rowStart, 0);
    return pass((x, y) -> band[y * size + x], size, vertical, false, 0, rowStart);
  }

  /**
   * One pass. Horizontal: for each of {@code lines} rows (from {@code lineStart}), one value per coefficient entry;
   * vertical: for each of {@code lines} columns. Taps start at input index {@code c.first[i] - shift}. Output is
   * row-major: horizontal gives lines x n, vertical gives n x lines.
   */
  private static int[] pass(IntBinaryOperator sample, int lines, ResampleCoefficients c, boolean horizontalPass,
      int lineStart, int shift) {
    int n = c.first.length;
    int[] out = new int[lines * n];
    for (int line = 0; line < lines; line++) {
      for (int i = 0; i < n; i++) {
        double sum = 0.0;
        int kBase = i * c.stride;
        for (int t = 0; t < c.count[i]; t++) {
          int at = c.first[i] - shift + t;
          int v = horizontalPass ? sample.applyAsInt(at, lineStart + line) : sample.applyAsInt(lineStart + line, at);
          sum += v * c.weights[kBase + t];
        }
        out[horizontalPass ? line * n + i : i * lines + line] = store16(sum);
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
