package dev.clipsearch.model.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.model.ModelSpec;
import dev.clipsearch.model.Vectors;
import dev.clipsearch.model.image.JavaImagePreprocessor;
import dev.clipsearch.model.text.Tokenizer;
import dev.clipsearch.testing.SharedData;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The staging slots and the uint8 transfer give the same vectors as whole-array calls. */
class ClipModelStagingTest {
  private static ModelSpec spec;
  private static ClipModel floats;
  private static ClipModel bytes;

  @BeforeAll
  static void load() throws Exception {
    Path file = SharedData.tinyClipModel();
    spec = ModelSpec.forModel(file);
    ComputeDevice device = DeviceSelector.select(DeviceRequest.CPU, ComputeDevice.Precision.FP32, 2, 1);
    floats = ClipModel.load(file, spec, device, new StagingOptions(4, 4, 2, ImageTransfer.FLOAT32));
    bytes = ClipModel.load(file, spec, device, new StagingOptions(4, 4, 2, ImageTransfer.UINT8));
  }

  @AfterAll
  static void close() {
    floats.close();
    bytes.close();
  }

  @Test
  void everyPixelByteSurvivesNormalisationAndBack() {
    JavaImagePreprocessor p = new JavaImagePreprocessor(spec);
    int plane = spec.imageSize() * spec.imageSize();
    float[] chw = image(new Random(1), p);
    byte[] back = PixelBytes.fromNormalised(chw, spec.mean(), spec.std());
    for (int c = 0; c < 3; c++) {
      for (int v = 0; v < 256; v++) {
        float unit = (float) v / 255f;
        float x = (unit - spec.mean()[c]) / spec.std()[c];
        byte b = PixelBytes.fromNormalised(new float[] {x, x, x}, spec.mean(), spec.std())[c];
        assertEquals(v, b & 0xFF, "channel " + c);
      }
    }
    assertEquals(3 * plane, back.length);
  }

  @Test
  void stagedImagesMatchWholeArrayCallsInBothTransfers() {
    Random r = new Random(2);
    JavaImagePreprocessor p = new JavaImagePreprocessor(spec);
    float[] a = image(r, p);
    float[] b = image(r, p);
    int chw = a.length;
    float[] both = new float[2 * chw];
    System.arraycopy(a, 0, both, 0, chw);
    System.arraycopy(b, 0, both, chw, chw);
    float[][] direct = floats.encodeImages(both, 2);
    for (ClipModel m : new ClipModel[] {floats, bytes}) {
      m.stageImage(1, 0, a);
      m.stageImage(1, 1, b);
      float[][] staged = m.encodeStagedImages(1, 2);
      for (int i = 0; i < 2; i++) {
        assertTrue(Vectors.cosine(direct[i], staged[i]) > 0.99999, m.staging().imageTransfer() + " row " + i);
      }
    }
  }

  @Test
  void aMovedRowEncodesLikeTheOriginal() {
    int[] dog = {49406, 320, 1125, 539, 320, 1929, 49407};
    int[] cat = {49406, 320, 2368, 49407};
    int[] car = {49406, 320, 1615, 1449, 49407};
    floats.stageText(0, 0, dog);
    floats.stageText(0, 1, cat);
    floats.stageText(0, 2, car);
    floats.moveTextRow(0, 2, 1); // "cat" was cancelled
    float[][] staged = floats.encodeStagedTexts(0, 2, spec.textLengthFor(dog.length));
    long[] ids = new long[2 * spec.contextLength()];
    System.arraycopy(Tokenizer.pad(dog, spec.contextLength()), 0, ids, 0, spec.contextLength());
    System.arraycopy(Tokenizer.pad(car, spec.contextLength()), 0, ids, spec.contextLength(), spec.contextLength());
    float[][] direct = floats.encodeTexts(ids, 2, spec.contextLength());
    assertArrayEquals(direct[0], staged[0], 1e-5f);
    assertArrayEquals(direct[1], staged[1], 1e-5f);
  }

  @Test
  void stagingOutsideTheSlotsIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> floats.stageText(2, 0, new int[] {49406, 49407}));
    assertThrows(IllegalArgumentException.class, () -> floats.stageText(0, 4, new int[] {49406, 49407}));
    assertThrows(IllegalArgumentException.class, () -> floats.encodeStagedImages(0, 5));
    assertThrows(IllegalArgumentException.class, () -> new StagingOptions(4, 4, 3, ImageTransfer.FLOAT32));
  }

  /** A random RGB image through the real preprocessor, so its floats are exact normalised bytes. */
  static float[] image(Random r, JavaImagePreprocessor p) {
    java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(40, 30, java.awt.image.BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 30; y++) {
      for (int x = 0; x < 40; x++) {
        img.setRGB(x, y, r.nextInt(1 << 24));
      }
    }
    float[] out = new float[3 * spec.imageSize() * spec.imageSize()];
    p.preprocessInto(img, out, 0);
    return out;
  }
}
