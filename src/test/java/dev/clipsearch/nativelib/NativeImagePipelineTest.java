package dev.clipsearch.nativelib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacpp.FloatPointer;
import org.junit.jupiter.api.Test;

/** The pipeline's native-address destination, which only a LibTorch staging tensor can give it. */
class NativeImagePipelineTest {
  private static final int SIZE = 224;
  private static final int FLOATS = 3 * SIZE * SIZE;

  @Test
  void writesAtANativeAddressWhatItWritesIntoAnArray() throws Exception {
    NativeAvailability.assumeBuiltAndLoaded();
    byte[] jpeg = Files.readAllBytes(
        Path.of(System.getProperty("basedir", "."), "src/test/resources/fixtures/images/jpeg_baseline_420.jpg"));
    NativeImagePipeline pipeline = new NativeImagePipeline(SIZE, new float[] {0.48f, 0.46f, 0.41f},
        new float[] {0.27f, 0.26f, 0.28f}, false, 1L << 26, 1L << 26);
    float[] expected = new float[FLOATS];
    pipeline.preprocessInto(jpeg, expected, 0);
    try (FloatPointer p = new FloatPointer(FLOATS)) {
      pipeline.preprocessIntoAddress(jpeg, p.address(), FLOATS);
      float[] got = new float[FLOATS];
      p.get(got);
      assertArrayEquals(expected, got);
      assertThrows(IllegalArgumentException.class, () -> pipeline.preprocessIntoAddress(jpeg, p.address(), FLOATS - 1));
    }
  }
}
