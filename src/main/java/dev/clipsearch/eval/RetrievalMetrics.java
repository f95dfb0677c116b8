package dev.clipsearch.eval;

import java.util.Arrays;

/**
 * Zero-shot classification and text-to-image retrieval metrics over unit vectors (cosine = dot product).
 * Definitions follow the usual ones: accuracy = share of images whose most similar class prompt is their class;
 * P@10 = share of a class prompt's 10 nearest images that belong to the class, averaged over classes; mAP = mean
 * over class prompts of the average precision of the full ranking of all images.
 */
public final class RetrievalMetrics {
  private RetrievalMetrics() {}

  /** @param precisionAt10PerClass P@10 of each class prompt, in class order */
  public record Scores(double zeroShotAccuracy, double precisionAt10, double meanAveragePrecision, int images,
      int classes, double[] precisionAt10PerClass, java.util.List<String> classNames) {
    Scores withNames(java.util.List<String> names) {
      return new Scores(zeroShotAccuracy, precisionAt10, meanAveragePrecision, images, classes, precisionAt10PerClass,
          names);
    }
  }

  /** @param labels class index of each image; @param prompts one unit vector per class */
  public static Scores score(float[][] images, int[] labels, float[][] prompts) {
    int n = images.length;
    int correct = 0;
    float[][] sims = new float[prompts.length][n];
    for (int i = 0; i < n; i++) {
      int best = 0;
      for (int c = 0; c < prompts.length; c++) {
        sims[c][i] = dot(images[i], prompts[c]);
        if (sims[c][i] > sims[best][i]) {
          best = c;
        }
      }
      if (best == labels[i]) {
        correct++;
      }
    }
    double[] p10 = new double[prompts.length];
    double map = 0;
    for (int c = 0; c < prompts.length; c++) {
      Integer[] order = rankDescending(sims[c]);
      p10[c] = precisionAt(order, labels, c, 10);
      map += averagePrecision(order, labels, c);
    }
    return new Scores((double) correct / n, Arrays.stream(p10).average().orElse(0), map / prompts.length, n,
        prompts.length, p10, java.util.List.of());
  }

  static double precisionAt(Integer[] order, int[] labels, int cls, int k) {
    int hits = 0;
    int limit = Math.min(k, order.length);
    for (int r = 0; r < limit; r++) {
      if (labels[order[r]] == cls) {
        hits++;
      }
    }
    return (double) hits / limit;
  }

  static double averagePrecision(Integer[] order, int[] labels, int cls) {
    int hits = 0;
    double sum = 0;
    for (int r = 0; r < order.length; r++) {
      if (labels[order[r]] == cls) {
        hits++;
        sum += (double) hits / (r + 1);
      }
    }
    return hits == 0 ? 0 : sum / hits;
  }

  /** Indices by score, highest first; ties keep index order so results are reproducible. */
  static Integer[] rankDescending(float[] scores) {
    Integer[] order = new Integer[scores.length];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, (a, b) -> Float.compare(scores[b], scores[a]));
    return order;
  }

  static float dot(float[] a, float[] b) {
    float s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
