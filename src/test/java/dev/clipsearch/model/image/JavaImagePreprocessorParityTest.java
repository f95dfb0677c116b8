package dev.clipsearch.model.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compares the Java crop with the one open_clip's val transform produced in Python (models/make_image_fixtures.py),
 * per fixture: the 8-bit RGB crop before ToTensor must match exactly unless the case is a documented exception.
 */
class JavaImagePreprocessorParityTest {

  /**
   * Cases where exact parity is not reachable, with the largest difference measured (grey levels) and why.
   *
   * <p>webp_lossy_32: lossy WebP is decoded by TwelveMonkeys' own Java VP8 decoder, not libwebp; its chroma
   * upsampling and YUV-to-RGB rounding differ. Measured on this hard-edged synthetic: max 35, mean 3.09 with
   * TwelveMonkeys 3.12.0 (3.15.0: max 34, mean 3.02). The whole-image decode differs by max 93, mean 5.7. Worse, 3.12.0
   * has a VP8 intra-prediction bug (TwelveMonkeys #734/#1102, fixed by PR #1315, in 3.15.0) that darkens large areas
   * of some photos: the ImageNet tench re-encoded at quality 80 decodes with a mean error of 34 levels (0.65 with
   * 3.15.0). Lossless WebP (with or without alpha) is exact.
   */
  static final Map<String, Integer> DOCUMENTED_MAX_DIFF = Map.of("webp_lossy_32", 35);

  static Stream<ImageFixtures.Case> crops() {
    return ImageFixtures.cases().stream().filter(c -> c.expectedFile().endsWith(".rgb.gz"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("crops")
  void rgbCropMatchesOpenClipReference(ImageFixtures.Case c) {
    assumeTrue(Files.exists(c.source()), "photo not available: " + c.source());
    byte[] expected = c.expectedRgb();
    byte[] actual = new JavaImagePreprocessor(c.spec())
        .rgbCrop(ImageDecoder.decode(c.sourceBytes(), ImageDecoder.DEFAULT_MAX_PIXELS));
    assertEquals(expected.length, actual.length, "crop size");
    int max = 0;
    long sum = 0;
    for (int i = 0; i < expected.length; i++) {
      int d = Math.abs((expected[i] & 0xFF) - (actual[i] & 0xFF));
      max = Math.max(max, d);
      sum += d;
    }
    System.out.printf("parity %-28s %-5s max %3d mean %.4f%n", c.id(), c.pillowMode(), max, (double) sum / expected.length);
    int allowed = DOCUMENTED_MAX_DIFF.getOrDefault(c.id(), 0);
    assertTrue(max <= allowed, c.id() + ": max |diff| " + max + " > " + allowed);
  }

  /** ToTensor + Normalize arithmetic: the full float tensor of the reference, for one image at size 32. */
  @Test
  void normalisedTensorMatchesOpenClipReference() {
    ImageFixtures.Case c = ImageFixtures.cases().stream()
        .filter(k -> k.expectedFile().endsWith(".f32")).findFirst().orElseThrow();
    float[] expected = c.expectedTensor();
    float[] actual = new JavaImagePreprocessor(c.spec()).preprocess(c.sourceBytes());
    assertEquals(3 * c.size() * c.size(), expected.length);
    assertEquals(expected.length, actual.length);
    double max = 0;
    for (int i = 0; i < expected.length; i++) {
      max = Math.max(max, Math.abs(expected[i] - actual[i]));
    }
    System.out.printf("parity %-28s tensor max |diff| %.3g%n", c.id(), max);
    assertTrue(max <= 1e-6, "max |diff| " + max);
  }

  /** preprocessInto writes exactly its 3*S*S values at the offset and leaves the rest of the batch buffer alone. */
  @Test
  void preprocessIntoWritesOnlyItsSlotOfABatchBuffer() {
    ImageFixtures.Case c = ImageFixtures.cases().stream()
        .filter(k -> k.expectedFile().endsWith(".f32")).findFirst().orElseThrow();
    JavaImagePreprocessor pre = new JavaImagePreprocessor(c.spec());
    int n = 3 * c.size() * c.size();
    float[] batch = new float[3 * n];
    java.util.Arrays.fill(batch, Float.NaN);
    pre.preprocessInto(c.sourceBytes(), batch, n);
    for (int i = 0; i < n; i++) {
      assertTrue(Float.isNaN(batch[i]) && Float.isNaN(batch[2 * n + i]), "wrote outside its slot at " + i);
    }
    assertArrayEquals(pre.preprocess(c.sourceBytes()), java.util.Arrays.copyOfRange(batch, n, 2 * n));
    assertThrows(IllegalArgumentException.class, () -> pre.preprocessInto(c.sourceBytes(), batch, 2 * n + 1));
  }
}
