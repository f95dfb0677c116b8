package dev.clipsearch.model.image;

/**
 * The Pillow mode conversions the CLIP transform goes through, with Pillow's integer rounding: premultiplying alpha
 * before a resize (RGBA to RGBa, LA to La), and {@code convert('RGB')} after the crop. Each formula was checked
 * exhaustively against Pillow (all 65536 value/alpha pairs; random CMYK).
 */
final class PillowConvert {
  private PillowConvert() {}

  /** v * a / 255 rounded, in Pillow's exact integer form (MULDIV255). */
  static int mulDiv255(int v, int a) {
    int t = v * a + 128;
    return ((t >> 8) + t) >> 8;
  }

  /** Pillow's RGBa/La to RGBA/LA: divide by alpha, truncating, except at alpha 0 and 255 which are kept as they are. */
  static int unpremultiply(int v, int a) {
    if (a == 255 || a == 0) {
      return v;
    }
    return Math.min(255, 255 * v / a);
  }

  /**
   * The premultiplied copy of an RGBA or LA image that Pillow resizes instead of the image itself (so that transparent
   * pixels, whatever colour they store, do not bleed into their neighbours), made for the region
   * {@code [x0, x1) x [y0, y1)} only: the pixels the crop window's resampling reads.
   */
  static PillowImage premultiplied(PillowImage src, int x0, int y0, int x1, int y1) {
    int bands = src.bands;
    int alphaOffset = src.bandOffsets[bands - 1];
    byte[] out = new byte[(x1 - x0) * (y1 - y0) * bands];
    int o = 0;
    for (int y = y0; y < y1; y++) {
      for (int x = x0, p = src.offset + y * src.rowStride + x0 * src.pixelStride; x < x1; x++, p += src.pixelStride) {
        int a = src.data[p + alphaOffset] & 0xFF;
        for (int b = 0; b < bands - 1; b++) {
          out[o++] = (byte) mulDiv255(src.data[p + src.bandOffsets[b]] & 0xFF, a);
        }
        out[o++] = (byte) a;
      }
    }
    return PillowImage.packedRegion(src.mode, src.width, src.height, bands, x0, y0, x1 - x0, out);
  }

  /**
   * {@code convert('RGB')} of a cropped window of {@code n} pixels laid out as {@code src} describes. Alpha is
   * dropped (after un-premultiplying when {@code premultiplied}), L is replicated, CMYK goes through Pillow's naive
   * formula (no colour management), a palette index is looked up.
   */
  static void toRgb(PillowImage src, boolean premultiplied, byte[] rgb) {
    byte[] d = src.data;
    int[] o = src.bandOffsets;
    int q = 0;
    if (src.mode == PillowImage.Mode.RGB || src.mode == PillowImage.Mode.L) { // the common modes: a plain copy
      int o0 = o[0];
      int o1 = src.mode == PillowImage.Mode.RGB ? o[1] : o0;
      int o2 = src.mode == PillowImage.Mode.RGB ? o[2] : o0;
      for (int y = 0; y < src.height; y++) {
        for (int x = 0, p = src.offset + y * src.rowStride; x < src.width; x++, p += src.pixelStride, q += 3) {
          rgb[q] = d[p + o0];
          rgb[q + 1] = d[p + o1];
          rgb[q + 2] = d[p + o2];
        }
      }
      return;
    }
    for (int y = 0; y < src.height; y++) {
      for (int x = 0, p = src.offset + y * src.rowStride; x < src.width; x++, p += src.pixelStride, q += 3) {
        rgbPixel(src.mode, d, p, o, premultiplied, src.palette, rgb, q);
      }
    }
  }

  private static void rgbPixel(
      PillowImage.Mode mode, byte[] d, int p, int[] o, boolean premultiplied, int[] palette, byte[] rgb, int q) {
    int r;
    int g;
    int b;
    switch (mode) {
      case RGB -> {
        r = d[p + o[0]] & 0xFF;
        g = d[p + o[1]] & 0xFF;
        b = d[p + o[2]] & 0xFF;
      }
      case RGBA -> {
        int a = premultiplied ? d[p + o[3]] & 0xFF : 255;
        r = unpremultiply(d[p + o[0]] & 0xFF, a);
        g = unpremultiply(d[p + o[1]] & 0xFF, a);
        b = unpremultiply(d[p + o[2]] & 0xFF, a);
      }
      case L -> r = g = b = d[p + o[0]] & 0xFF;
      case LA -> r = g = b = unpremultiply(d[p + o[0]] & 0xFF, premultiplied ? d[p + o[1]] & 0xFF : 255);
      case CMYK -> {
        int notK = 255 - (d[p + o[3]] & 0xFF);
        r = Math.max(0, notK - mulDiv255(d[p + o[0]] & 0xFF, notK));
        g = Math.max(0, notK - mulDiv255(d[p + o[1]] & 0xFF, notK));
        b = Math.max(0, notK - mulDiv255(d[p + o[2]] & 0xFF, notK));
      }
      case P -> {
        int c = palette[d[p + o[0]] & 0xFF];
        r = c >> 16 & 0xFF;
        g = c >> 8 & 0xFF;
        b = c & 0xFF;
      }
      default -> throw new IllegalStateException("not an 8-bit mode: " + mode);
    }
    rgb[q] = (byte) r;
    rgb[q + 1] = (byte) g;
    rgb[q + 2] = (byte) b;
  }

  /** I;16 to RGB: Pillow clips (values above 255 become white) rather than scaling down. */
  static void grey16ToRgb(int[] samples, byte[] rgb) {
    for (int i = 0, q = 0; i < samples.length; i++, q += 3) {
      byte v = (byte) Math.min(samples[i], 255);
      rgb[q] = v;
      rgb[q + 1] = v;
      rgb[q + 2] = v;
    }
  }
}
