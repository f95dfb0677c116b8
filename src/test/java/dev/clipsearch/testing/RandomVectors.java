package dev.clipsearch.testing;

import dev.clipsearch.model.Vectors;
import java.util.Random;

/** Synthetic embeddings for store tests and benchmarks that need no model. */
public final class RandomVectors {
  private RandomVectors() {}

  /** A random direction: Gaussian components, unit length. */
  public static float[] unit(Random rnd, int dimension) {
    float[] v = new float[dimension];
    for (int i = 0; i < dimension; i++) {
      v[i] = (float) rnd.nextGaussian();
    }
    Vectors.normalize(v);
    return v;
  }
}
