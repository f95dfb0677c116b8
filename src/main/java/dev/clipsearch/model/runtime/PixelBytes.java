package dev.clipsearch.model.runtime;

/**
 * Inverts CLIP normalisation: the preprocessor writes {@code (v / 255 - mean) / std} in float32 for a pixel byte v;
 * {@code round((x * std + mean) * 255)} gives v back exactly (the float error is ~1e-5 of a step), so the uint8
 * transfer needs no second preprocessing path. Stateless; thread-safe.
 */
final class PixelBytes {
  private PixelBytes() {}

  /** CHW floats of one image → CHW bytes (unsigned values in Java's signed byte). */
  static byte[] fromNormalised(float[] chw, float[] mean, float[] std) {
    int plane = chw.length / 3;
    byte[] out = new byte[chw.length];
    for (int c = 0; c < 3; c++) {
      float m = mean[c];
      float s = std[c];
      for (int i = c * plane, end = i + plane; i < end; i++) {
        int v = Math.round((chw[i] * s + m) * 255f);
        out[i] = (byte) Math.max(0, Math.min(255, v));
      }
    }
    return out;
  }
}
