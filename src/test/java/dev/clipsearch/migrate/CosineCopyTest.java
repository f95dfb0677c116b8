package dev.clipsearch.migrate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** Which source vectors a migration scales to unit length before they enter the COSINE target. */
class CosineCopyTest {
  @Test
  void anL2SourcesVectorOfAnotherLengthIsScaledToUnitLengthKeepingItsDirection() {
    CosineCopy copy = new CosineCopy("L2");
    float[] v = {3, 0, -4};
    assertArrayEquals(new float[] {0.6f, 0, -0.8f}, copy.of(v), 1e-7f);
    assertArrayEquals(new float[] {3, 0, -4}, v, "the source's row is not modified");
    assertEquals(1, copy.normalised());
  }

  @Test
  void anIpSourcesUnitVectorIsCarriedOverBitForBit() {
    CosineCopy copy = new CosineCopy("IP");
    float[] unit = {0.6f, 0.8f, 0};
    assertSame(unit, copy.of(unit));
    assertEquals(0, copy.normalised());
    float[] longer = {1.2f, 1.6f, 0};
    assertArrayEquals(unit, copy.of(longer), 1e-7f);
    assertEquals(1, copy.normalised());
  }

  @Test
  void aCosineSourceKeepsEveryVectorAsItIs() {
    CosineCopy copy = new CosineCopy("COSINE");
    float[] v = {3, 0, -4};
    assertSame(v, copy.of(v), "cosine ranks it as the target does");
    assertEquals(0, copy.normalised());
  }

  @Test
  void aZeroVectorHasNoDirectionAndIsLeftAlone() {
    CosineCopy copy = new CosineCopy("L2");
    float[] zero = new float[4];
    assertSame(zero, copy.of(zero));
    assertEquals(0, copy.normalised());
  }
}
