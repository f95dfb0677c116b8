package dev.clipsearch.model.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.clipsearch.nativelib.NativeAvailability;
import java.nio.file.Files;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exact mode of the native pipeline against the open_clip reference crops (models/make_image_fixtures.py) and
 * against the Java path, fixture by fixture: the 8-bit RGB crop must be identical, and the float tensor too.
 */
class NativeImagePreprocessorParityTest {
  /**
   * Where the Java path itself is not exact (JavaImagePreprocessorParityTest.DOCUMENTED_MAX_DIFF), the native path is
   * compared with the reference only: lossy WebP goes through libwebp here, as in Pillow, so it matches exactly
   * while the Java path (TwelveMonkeys' VP8 decoder) differs by up to 35 levels.
   */
  static final Map<String, Integer> JAVA_DIFFERS = JavaImagePreprocessorParityTest.DOCUMENTED_MAX_DIFF;

  @BeforeAll
  static void nativeLibrary() {
    NativeAvailability.assumeBuiltAndLoaded();
  }

  static Stream<ImageFixtures.Case> crops() {
    return JavaImagePreprocessorParityTest.crops();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("crops")
  void exactModeMatchesReferenceAndJava(ImageFixtures.Case c) {
    assumeTrue(Files.exists(c.source()), "photo not available: " + c.source());
    NativeImagePreprocessor pre = ImageFixtures.nativePreprocessor(c.spec(), ImagePreprocessor.NativeMode.EXACT);
    assertTrue(pre.usesNative());
    byte[] actual = pre.rgbCrop(c.sourceBytes());
    assertArrayEquals(c.expectedRgb(), actual, c.id() + ": native crop differs from the open_clip reference");
    if (!JAVA_DIFFERS.containsKey(c.id())) {
      byte[] java = new JavaImagePreprocessor(c.spec())
          .rgbCrop(ImageDecoder.decode(c.sourceBytes(), ImageDecoder.DEFAULT_MAX_PIXELS));
      assertArrayEquals(java, actual, c.id() + ": native crop differs from the Java path");
    }
  }

  @Test
  void normalisedTensorIsBitIdenticalToJavaAndReference() {
    ImageFixtures.Case c = ImageFixtures.cases().stream()
        .filter(k -> k.expectedFile().endsWith(".f32")).findFirst().orElseThrow();
    float[] expected = c.expectedTensor();
    float[] actual = ImageFixtures.nativePreprocessor(c.spec(), ImagePreprocessor.NativeMode.EXACT)
        .preprocess(c.sourceBytes());
    float[] java = new JavaImagePreprocessor(c.spec()).preprocess(c.sourceBytes());
    assertArrayEquals(java, actual);
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      assertTrue(Math.abs(expected[i] - actual[i]) <= 1e-6, "at " + i);
    }
  }
}
