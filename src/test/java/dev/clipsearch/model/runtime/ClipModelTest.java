package dev.clipsearch.model.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.model.ModelSpec;
import dev.clipsearch.model.Vectors;
import dev.clipsearch.model.text.Tokenizer;
import dev.clipsearch.testing.SharedData;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ClipModelTest {
  private static ClipModel model;

  @BeforeAll
  static void load() throws Exception {
    Path file = SharedData.tinyClipModel();
    ComputeDevice device = DeviceSelector.select(DeviceRequest.AUTO, ComputeDevice.Precision.FP32, 2, 1);
    model = ClipModel.load(file, ModelSpec.forModel(file), device, 8);
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void imageBatchGivesOneUnitVectorPerImageAndBatchingDoesNotChangeThem() {
    int chw = 3 * 224 * 224;
    float[] pixels = new float[3 * chw];
    java.util.Random random = new java.util.Random(1);
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (float) random.nextGaussian();
    }
    float[][] batch = model.encodeImages(pixels, 3);
    assertEquals(3, batch.length);
    for (float[] v : batch) {
      assertEquals(512, v.length);
      assertEquals(1.0, Math.sqrt(Vectors.cosine(v, v) * dot(v, v)), 1e-4);
    }
    float[] second = java.util.Arrays.copyOfRange(pixels, chw, 2 * chw);
    float[][] alone = model.encodeImages(second, 1);
    assertTrue(Vectors.cosine(alone[0], batch[1]) > 0.99999, "batch position must not change a vector");
  }

  @Test
  void textVectorsDifferByTextAndAreUnitLength() {
    long[] ids = new long[2 * 77];
    int[] dog = {49406, 320, 1125, 539, 320, 1929, 49407};
    int[] diagram = {49406, 320, 22697, 49407};
    System.arraycopy(Tokenizer.pad(dog, 77), 0, ids, 0, 77);
    System.arraycopy(Tokenizer.pad(diagram, 77), 0, ids, 77, 77);
    float[][] v = model.encodeTexts(ids, 2, 77);
    assertEquals(1.0, dot(v[0], v[0]), 1e-4);
    assertTrue(Vectors.cosine(v[0], v[1]) < 0.999, "different texts must give different vectors");
  }

  @Test
  void batchLargerThanTheStagingBufferIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> model.encodeImages(new float[9 * 3 * 224 * 224], 9));
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
