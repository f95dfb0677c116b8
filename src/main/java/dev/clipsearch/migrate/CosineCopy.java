package dev.clipsearch.migrate;

import dev.clipsearch.model.Vectors;

/**
 * How a source vector enters the target, which ranks by COSINE as CLIP vectors are compared and holds unit vectors as
 * clip-search's own ingest writes them. A source that ranks by cosine keeps its vectors bit for bit. A source that
 * ranks by L2 or IP ranks vectors of different lengths otherwise than cosine does (under IP a longer vector wins
 * whatever its direction), so each of its vectors that is not of unit length is scaled to it on copy: the direction,
 * which is all cosine compares, is kept. Unit vectors are carried over unchanged: for them L2, IP and cosine rank
 * alike. (docs/storage.md, "Collections made by other code", Migrating.)
 *
 * <p>Not thread-safe: one per migration run.
 */
final class CosineCopy {
  /** A length within this of 1 counts as unit: float32 CLIP embeddings come out within about 1e-6 of it. */
  static final double TOLERANCE = 1e-4;

  private final boolean rescale;
  private long normalised;

  /** @param sourceMetric the metric the source's index ranks by (COSINE, IP, L2) */
  CosineCopy(String sourceMetric) {
    this.rescale = !"COSINE".equals(sourceMetric);
  }

  /** The vector to store for source vector {@code v}: {@code v} itself, or a new unit-length copy. */
  float[] of(float[] v) {
    if (!rescale) {
      return v;
    }
    double length = Vectors.length(v);
    if (length == 0 || Math.abs(length - 1) <= TOLERANCE) {
      return v; // unit already, or a zero vector, which has no direction to keep
    }
    float[] unit = v.clone(); // the source's row stays as it was read
    Vectors.normalize(unit);
    normalised++;
    return unit;
  }

  /** How many vectors {@link #of} scaled so far. */
  long normalised() {
    return normalised;
  }
}
