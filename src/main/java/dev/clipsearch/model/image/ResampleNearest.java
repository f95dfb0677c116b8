package dev.clipsearch.model.image;

/**
 * Pillow's NEAREST resize, which {@code Image.resize} uses for palette (P) and 1-bit images whatever filter is asked
 * for (averaging palette indices would be meaningless). Pillow maps output pixel x to input
 * {@code (int) (scale / 2 + x * scale)}, with the position accumulated by repeated addition; the same repeated
 * addition is done here so rounding drift, if any, matches. A position that drifts past the last input pixel gets
 * index 0, as Pillow's zero-filled output does.
 */
final class ResampleNearest {
  private ResampleNearest() {}

  /** The {@code size x size} window at ({@code left}, {@code top}) of {@code src} resized to {@code outW x outH}. */
  static byte[] resizeWindow(PillowImage src, int outW, int outH, int left, int top, int size) {
    int[] columns = sourceIndices(src.width, outW, left, size);
    int[] rows = sourceIndices(src.height, outH, top, size);
    byte[] out = new byte[size * size];
    for (int y = 0; y < size; y++) {
      if (rows[y] < 0) {
        continue; // row outside the input: stays index 0
      }
      int rowBase = src.offset + rows[y] * src.rowStride + src.bandOffsets[0];
      for (int x = 0; x < size; x++) {
        if (columns[x] >= 0) {
          out[y * size + x] = src.data[rowBase + columns[x] * src.pixelStride];
        }
      }
    }
    return out;
  }

  /** Input index of output pixels {@code from .. from + n - 1}, or -1 where Pillow would find none. */
  static int[] sourceIndices(int inSize, int outSize, int from, int n) {
    double step = (double) inSize / outSize;
    double position = step * 0.5;
    for (int i = 0; i < from; i++) {
      position += step;
    }
    int[] indices = new int[n];
    for (int i = 0; i < n; i++, position += step) {
      int index = position < 0.0 ? -1 : (int) position;
      indices[i] = index < inSize ? index : -1;
    }
    return indices;
  }
}
