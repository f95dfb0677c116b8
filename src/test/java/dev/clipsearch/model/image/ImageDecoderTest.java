package dev.clipsearch.model.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageDecoderTest {
  private static final long LIMIT = ImageDecoder.DEFAULT_MAX_PIXELS;

  @Test
  void emptyAndNullInputAreBadNotTooLarge() {
    assertBad(new byte[0], "empty");
    assertBad(null, "empty");
  }

  @Test
  void textFileIsAnUnsupportedFormat() {
    assertBad("name,caption\ncat.jpg,a cat\n".getBytes(StandardCharsets.UTF_8), "unsupported");
  }

  @Test
  void randomBytesBehindARealSignatureAreCorrupt() {
    byte[] junk = new byte[4096];
    new java.util.Random(7).nextBytes(junk);
    for (int i = 0; i < junk.length; i++) {
      junk[i] &= 0x7F; // no 0xFF: no JPEG marker (so no made-up frame size) anywhere in the junk
    }
    byte[] png = concat(Arrays.copyOf(ImageFixtures.fixture("png_rgb.png"), 33), junk); // signature + IHDR
    assertBad(png, "corrupt");
    byte[] jpeg = concat(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}, junk);
    assertBad(jpeg, "truncated");
  }

  /** Pillow refuses all of these ("image file is truncated"); libjpeg alone would fill a cut JPEG with grey. */
  @ParameterizedTest
  @ValueSource(strings = {"jpeg_baseline_420.jpg", "jpeg_progressive.jpg", "png_rgb.png", "gif_palette.gif",
      "bmp_rgb24.bmp", "webp_lossy.webp", "webp_lossless.webp"})
  void truncatedFileIsRefused(String name) {
    byte[] full = ImageFixtures.fixture(name);
    assertBad(Arrays.copyOf(full, full.length * 2 / 3), "truncated");
  }

  @Test
  void jpegMissingOnlyItsEndMarkerIsRefusedAsPillowDoes() {
    byte[] full = ImageFixtures.fixture("jpeg_baseline_420.jpg");
    assertBad(Arrays.copyOf(full, full.length - 2), "truncated");
  }

  @Test
  void pngHeaderClaiming100000x100000IsTooLargeBeforeAnyPixelIsAllocated() {
    ByteBuffer ihdr = ByteBuffer.allocate(17).put("IHDR".getBytes(StandardCharsets.US_ASCII))
        .putInt(100_000).putInt(100_000).put(new byte[] {8, 2, 0, 0, 0});
    CRC32 crc = new CRC32();
    crc.update(ihdr.array());
    byte[] bomb = ByteBuffer.allocate(8 + 4 + 17 + 4).put(Arrays.copyOf(ImageFixtures.fixture("png_rgb.png"), 8))
        .putInt(13).put(ihdr.array()).putInt((int) crc.getValue()).array();
    assertTooLargeWithoutDecoding(bomb, LIMIT);
  }

  @Test
  void jpegGifBmpAndWebpBombsAreTooLargeFromTheirHeaders() {
    byte[] jpeg = ImageFixtures.fixture("jpeg_baseline_420.jpg");
    int sof = indexOf(jpeg, (byte) 0xFF, (byte) 0xC0);
    jpeg[sof + 5] = jpeg[sof + 6] = jpeg[sof + 7] = jpeg[sof + 8] = (byte) 0xFF; // 65535 x 65535
    assertTooLargeWithoutDecoding(jpeg, LIMIT);

    byte[] gif = ImageFixtures.fixture("gif_palette.gif");
    gif[6] = gif[7] = gif[8] = gif[9] = (byte) 0xFF; // logical screen 65535 x 65535
    assertTooLargeWithoutDecoding(gif, LIMIT);

    byte[] bmp = ImageFixtures.fixture("bmp_rgb24.bmp");
    ByteBuffer.wrap(bmp).order(ByteOrder.LITTLE_ENDIAN).putInt(18, 50_000).putInt(22, -50_000); // top-down
    assertTooLargeWithoutDecoding(bmp, LIMIT);

    byte[] webp = ImageFixtures.fixture("webp_lossless.webp");
    ByteBuffer le = ByteBuffer.wrap(webp).order(ByteOrder.LITTLE_ENDIAN);
    le.putInt(21, (le.getInt(21) & 0xF000_0000) | 16383 << 14 | 16383); // 16384 x 16384, the VP8L maximum
    assertTooLargeWithoutDecoding(webp, LIMIT);
  }

  @Test
  void theLimitIsInclusive() {
    byte[] png = ImageFixtures.fixture("png_rgb.png"); // 73 x 53
    assertEquals(73, ImageDecoder.decode(png, 73 * 53).getWidth());
    assertTooLargeWithoutDecoding(png, 73 * 53 - 1);
  }

  /** The parser that guards the limit must read the same size the decoder then produces, for every format. */
  @ParameterizedTest
  @ValueSource(strings = {"jpeg_baseline_420.jpg", "jpeg_cmyk.jpg", "jpeg_grey.jpg", "png_1bit.png", "png_rgba16.png",
      "gif_palette.gif", "gif_offset_frame.gif", "bmp_rgb24.bmp", "bmp_palette8.bmp", "webp_lossy.webp",
      "webp_lossless.webp", "webp_alpha.webp", "wide_4000x3.png"})
  void headerSizeIsTheDecodedSize(String name) {
    byte[] bytes = ImageFixtures.fixture(name);
    ImageHeader header = ImageHeader.parse(bytes);
    BufferedImage img = ImageDecoder.decode(bytes, LIMIT);
    assertEquals(header.width() + "x" + header.height(), img.getWidth() + "x" + img.getHeight());
  }

  /** The trap the stripping avoids: ImageIO applies an embedded profile (here linear-light RGB), Pillow does not. */
  @Test
  void embeddedIccProfileIsIgnoredAsPillowIgnoresIt() throws java.io.IOException {
    byte[] jpeg = ImageFixtures.fixture("jpeg_icc_linear.jpg");
    BufferedImage managed = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(jpeg));
    BufferedImage raw = ImageDecoder.decode(jpeg, LIMIT);
    long sum = 0;
    for (int y = 0; y < raw.getHeight(); y++) {
      for (int x = 0; x < raw.getWidth(); x++) {
        for (int c = 0; c < 3; c++) {
          sum += Math.abs(managed.getRaster().getSample(x, y, c) - raw.getRaster().getSample(x, y, c));
        }
      }
    }
    double mean = (double) sum / (3.0 * raw.getWidth() * raw.getHeight());
    assertTrue(mean > 20, "ImageIO no longer colour-manages? mean difference " + mean); // measured: 46 levels
    assertTrue(JpegIccStripper.hasIccSegment(jpeg));
    byte[] stripped = JpegIccStripper.strip(jpeg);
    assertFalse(JpegIccStripper.hasIccSegment(stripped));
    int removed = jpeg.length - stripped.length;
    assertTrue(removed > 0 && removed < 2000, "removed " + removed + " bytes");
    // everything after the header segments (the entropy-coded data) is untouched
    assertArrayEquals(Arrays.copyOfRange(jpeg, jpeg.length - 1000, jpeg.length),
        Arrays.copyOfRange(stripped, stripped.length - 1000, stripped.length));
    byte[] plain = ImageFixtures.fixture("jpeg_baseline_420.jpg");
    assertSame(plain, JpegIccStripper.strip(plain), "a JPEG without a profile is not copied");
  }

  private static void assertTooLargeWithoutDecoding(byte[] bomb, long limit) {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    ImageDecoder.decode(ImageFixtures.fixture("tiny_1x1.png"), limit); // warm up class loading outside the window
    long before = threads.getCurrentThreadAllocatedBytes();
    BadImageException refused = null;
    try { // no lambda here: bootstrapping one allocates more than the decoder does
      ImageDecoder.decode(bomb, limit);
    } catch (BadImageException e) {
      refused = e;
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertTrue(refused != null && refused.tooLarge(), refused == null ? "accepted" : refused.getMessage());
    assertTrue(allocated < 256 * 1024, "allocated " + allocated + " bytes before refusing");
  }

  private static void assertBad(byte[] bytes, String messagePart) {
    BadImageException e = assertThrows(BadImageException.class, () -> ImageDecoder.decode(bytes, LIMIT));
    assertFalse(e.tooLarge(), e.getMessage());
    assertTrue(e.getMessage().contains(messagePart), e.getMessage());
  }

  private static int indexOf(byte[] b, byte first, byte second) {
    for (int i = 0; i + 1 < b.length; i++) {
      if (b[i] == first && b[i + 1] == second) {
        return i;
      }
    }
    throw new AssertionError("marker not found");
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
