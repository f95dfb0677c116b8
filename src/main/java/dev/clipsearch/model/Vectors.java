package dev.clipsearch.model;

/** Small vector maths shared by the model and tests. */
public final class Vectors {
  private Vectors() {}

  /** The Euclidean length of v, summed in double. */
  public static double length(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += (double) x * x;
    }
    return Math.sqrt(sum);
  }

  /** Scales v to unit length in place (a zero vector stays zero). */
  public static void normalize(float[] v) {
    double length = length(v);
    if (length == 0) {
      return;
    }
    float inv = (float) (1.0 / length);
    for (int i = 0; i < v.length; i++) {
      v[i] *= inv;
    }
  }

  public static double cosine(float[] a, float[] b) {
    double dot = 0, na = 0, nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }
}
