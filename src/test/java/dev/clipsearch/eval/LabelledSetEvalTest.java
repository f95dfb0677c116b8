package dev.clipsearch.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LabelledSetEvalTest {
  @Test
  void recallCountsHowOftenAClassPromptRanksItsOwnImageWithinK() {
    // prompt 0 finds image 0 first; prompt 1 ranks image 0 above its own image 1 (rank 2); prompt 2 finds image 2
    float[][] images = {{1, 0, 0}, {0.6f, 0.8f, 0}, {0, 0, 1}};
    float[][] prompts = {{1, 0, 0}, {0.9f, 0.436f, 0}, {0, 0, 1}};
    LabelledSetEval.Recall r = LabelledSetEval.score(images, prompts);
    assertEquals(2.0 / 3, r.at1(), 1e-9);
    assertEquals(1.0, r.at5(), 1e-9);
    assertEquals(3, r.images());
  }

  @Test
  void zeroShotAccuracyAsksWhetherEachImagesBestPromptIsItsOwn() {
    float[][] images = {{1, 0}, {1, 0}};
    float[][] prompts = {{1, 0}, {0, 1}};
    assertEquals(0.5, LabelledSetEval.score(images, prompts).zeroShotAccuracy(), 1e-9);
  }
}
