package dev.clipsearch.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ContentTest {
  @Test
  void hashIsTheHexSha256OfTheBytes() {
    // sha256("abc") from FIPS 180-2, appendix B.1
    assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        Content.sha256("abc".getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void dimensionsComeFromThePngHeader() throws Exception {
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(37, 11, BufferedImage.TYPE_INT_RGB), "png", png);
    Content c = Content.of(png.toByteArray());
    assertEquals(37, c.width());
    assertEquals(11, c.height());
  }

  @Test
  void notAnImageHasNoDimensionsButAHash() {
    Content c = Content.of("not an image".getBytes(StandardCharsets.US_ASCII));
    assertEquals(0, c.width());
    assertEquals(64, c.sha256().length());
  }

  @Test
  void anEmptyFileIsRefusedWithAPlainReason() {
    assertEquals("empty file", assertThrows(IllegalArgumentException.class, () -> Content.of(new byte[0]))
        .getMessage());
  }
}
