package dev.clipsearch.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compares the Java crop with the one open_clip's val transform produced in Python (models/make_image_fixtures.py),
 * per fixture: the 8-bit RGB crop before ToTensor must match exactly unless the case is a documented exception.
 */
class ImagePreprocessorParityTest {

  /** Cases where exact parity is not reachable, with the largest difference measured (grey levels) and why. */
  static final Map<String, Integer> DOCUMENTED_MAX_DIFF = Map.of();

  static Stream<ImageFixtures.Case> crops() {
    return ImageFixtures.cases().stream().filter(c -> c.expectedFile().endsWith(".rgb.gz"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("crops")
  void rgbCropMatchesOpenClipReference(ImageFixtures.Case c) {
    assumeTrue(Files.exists(c.source()), "photo not available: " + c.source());
    byte[] expected = c.expectedRgb();
    byte[] actual = new ImagePreprocessor(c.spec())
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
}
