package dev.clipsearch.model.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.model.ModelSpec;
import dev.clipsearch.nativelib.NativeAvailability;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The native preprocessor's destinations, error mapping and per-image fallback to the Java path. */
class NativeImagePreprocessorTest {
  private static final ModelSpec SPEC = ModelSpec.clipVitB32();
  private static final int FLOATS = 3 * 224 * 224;
  private static NativeImagePreprocessor pre;
  private static byte[] jpeg;
  private static float[] expected;

  @BeforeAll
  static void setUp() {
    NativeAvailability.assumeBuiltAndLoaded();
    pre = ImageFixtures.nativePreprocessor(SPEC, ImagePreprocessor.NativeMode.EXACT);
    jpeg = ImageFixtures.fixture("jpeg_baseline_420.jpg");
    expected = new JavaImagePreprocessor(SPEC).preprocess(jpeg);
  }

  @Test
  void writesOnlyItsSlotOfAFloatArray() {
    float[] batch = new float[3 * FLOATS];
    Arrays.fill(batch, Float.NaN);
    pre.preprocessInto(jpeg, batch, FLOATS);
    assertTrue(Float.isNaN(batch[FLOATS - 1]) && Float.isNaN(batch[2 * FLOATS]));
    assertArrayEquals(expected, Arrays.copyOfRange(batch, FLOATS, 2 * FLOATS));
    assertThrows(IllegalArgumentException.class, () -> pre.preprocessInto(jpeg, batch, 2 * FLOATS + 1));
  }

  @Test
  void writesIntoADirectBufferSlot() {
    FloatBuffer buf = ByteBuffer.allocateDirect(4 * 2 * FLOATS + 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
    pre.preprocessInto(jpeg, buf, FLOATS + 1);
    float[] got = new float[FLOATS];
    buf.get(FLOATS + 1, got);
    assertArrayEquals(expected, got);
    assertEquals(0f, buf.get(FLOATS));
    assertThrows(IllegalArgumentException.class, () -> pre.preprocessInto(jpeg, buf, FLOATS + 2));
  }

  @Test
  void heapAndBigEndianBuffersTakeTheCopyingPath() {
    FloatBuffer heap = FloatBuffer.allocate(FLOATS);
    pre.preprocessInto(jpeg, heap, 0);
    assertArrayEquals(expected, heap.array());
    FloatBuffer bigEndian = ByteBuffer.allocateDirect(4 * FLOATS).order(ByteOrder.BIG_ENDIAN).asFloatBuffer();
    pre.preprocessInto(jpeg, bigEndian, 0);
    float[] got = new float[FLOATS];
    bigEndian.get(0, got);
    assertArrayEquals(expected, got);
  }

  @Test
  void badInputBecomesBadImageException() {
    byte[] truncated = Arrays.copyOf(jpeg, jpeg.length / 2);
    BadImageException e = assertThrows(BadImageException.class, () -> pre.preprocess(truncated));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    assertFalse(assertThrows(BadImageException.class, () -> pre.preprocess(new byte[0])).tooLarge());
    assertFalse(assertThrows(BadImageException.class, () -> pre.preprocess("not an image".getBytes())).tooLarge());
    byte[] png = ImageFixtures.fixture("png_rgb.png");
    assertThrows(BadImageException.class, () -> pre.preprocess(Arrays.copyOf(png, 40)));
  }

  @Test
  void limitsAreCheckedFromTheHeader() {
    NativeImagePreprocessor small = new NativeImagePreprocessor(SPEC, ImagePreprocessor.NativeMode.EXACT, 1000, 1L << 20);
    assertTrue(assertThrows(BadImageException.class, () -> small.preprocess(jpeg)).tooLarge()); // 73x53 > 1000
    NativeImagePreprocessor tinyBytes = new NativeImagePreprocessor(SPEC, ImagePreprocessor.NativeMode.EXACT, 1000_000, 100);
    assertTrue(assertThrows(BadImageException.class, () -> tinyBytes.preprocess(jpeg)).tooLarge());
    // a 60000 x 60000 PNG header with no pixel data: refused before anything is allocated
    byte[] huge = Arrays.copyOf(ImageFixtures.fixture("png_rgb.png"), 33);
    ByteBuffer.wrap(huge, 16, 8).putInt(60_000).putInt(60_000);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(huge, 12, 17); // chunk type + IHDR data
    ByteBuffer.wrap(huge, 29, 4).putInt((int) crc.getValue());
    assertTrue(assertThrows(BadImageException.class, () -> pre.preprocess(huge)).tooLarge());
  }

  @Test
  void variantsLeftToJavaGiveTheJavaResult() {
    // a 32-bit BMP: the native decoder reports it unsupported and the Java path decodes it
    byte[] bmp = bmp32(5, 4);
    assertArrayEquals(new JavaImagePreprocessor(SPEC).preprocess(bmp), pre.preprocess(bmp));
  }

  @Test
  void javaPreprocessorNeverUsesTheLibrary() {
    ImagePreprocessor java = ImagePreprocessor.java(SPEC);
    assertFalse(java.usesNative());
    assertArrayEquals(expected, java.preprocess(jpeg));
  }

  /** A bottom-up 32-bit BI_RGB BMP (BGRX) with a gradient. */
  static byte[] bmp32(int w, int h) {
    ByteBuffer b = ByteBuffer.allocate(54 + 4 * w * h).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 'B').put((byte) 'M').putInt(b.capacity()).putInt(0).putInt(54);
    b.putInt(40).putInt(w).putInt(h).putShort((short) 1).putShort((short) 32).putInt(0).putInt(4 * w * h);
    b.putInt(2835).putInt(2835).putInt(0).putInt(0);
    for (int i = 0; i < w * h; i++) {
      b.put((byte) (i * 7)).put((byte) (i * 13)).put((byte) (i * 29)).put((byte) 0);
    }
    return b.array();
  }
}
