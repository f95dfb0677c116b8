package dev.clipsearch.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RetrievalMetricsTest {
  @Test
  void averagePrecisionRewardsRelevantItemsRankedEarly() {
    int[] labels = {0, 1, 0, 1};
    // ranking: item0 (rel), item1, item2 (rel), item3 -> AP = (1/1 + 2/3) / 2
    assertEquals((1.0 + 2.0 / 3) / 2, RetrievalMetrics.averagePrecision(new Integer[] {0, 1, 2, 3}, labels, 0), 1e-12);
    assertEquals((1.0 / 2 + 2.0 / 4) / 2, RetrievalMetrics.averagePrecision(new Integer[] {1, 0, 3, 2}, labels, 0), 1e-12);
  }

  @Test
  void precisionAtKCountsRelevantItemsInTheFirstK() {
    int[] labels = {0, 0, 1, 1, 0};
    assertEquals(2.0 / 3, RetrievalMetrics.precisionAt(new Integer[] {0, 2, 1, 3, 4}, labels, 0, 3), 1e-12);
  }

  @Test
  void perfectlySeparatedEmbeddingsScoreOneEverywhere() {
    float[][] prompts = {{1, 0}, {0, 1}};
    float[][] images = {{1, 0}, {0.9f, 0.1f}, {0, 1}, {0.2f, 0.8f}};
    RetrievalMetrics.Scores s = RetrievalMetrics.score(images, new int[] {0, 0, 1, 1}, prompts);
    assertEquals(1.0, s.zeroShotAccuracy());
    assertEquals(1.0, s.meanAveragePrecision(), 1e-12);
  }

  @Test
  void zeroShotAccuracyCountsImagesClosestToTheirOwnClassPrompt() {
    float[][] prompts = {{1, 0}, {0, 1}};
    float[][] images = {{1, 0}, {0, 1}, {0, 1}};
    RetrievalMetrics.Scores s = RetrievalMetrics.score(images, new int[] {0, 0, 1}, prompts);
    assertEquals(2.0 / 3, s.zeroShotAccuracy(), 1e-12);
  }
}
