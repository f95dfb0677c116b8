package dev.clipsearch.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The UI's routes: {p}/thumb=<path>?s= (made once, cached under data/thumbs, same guard as file=) and {p}/collection. */
class ThumbnailsTest extends TestAppCase {
  @Test
  void largeUploadGetsASmallCachedJpeg() throws Exception {
    BufferedImage big = new BufferedImage(1200, 800, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = big.createGraphics();
    g.setPaint(new GradientPaint(0, 0, Color.ORANGE, 1200, 800, Color.BLUE));
    g.fillRect(0, 0, 1200, 800);
    g.dispose();
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(big, "png", png);
    String id = Fixtures.M.readTree(app.upload("/gradio_api/upload", "big.png", png.toString(StandardCharsets.ISO_8859_1)).body()).get(0).asText();

    HttpResponse<byte[]> first = bytes("/gradio_api/thumb=" + id + "?s=200"); // snapped up to 256
    assertEquals(200, first.statusCode());
    assertEquals("image/jpeg", first.headers().firstValue("Content-Type").orElse(""));
    BufferedImage thumb = ImageIO.read(new ByteArrayInputStream(first.body()));
    assertEquals(256, thumb.getWidth());
    assertEquals(171, thumb.getHeight());
    assertTrue(first.body().length < png.size() / 4, "a thumbnail is much smaller than its source");
    assertArrayEquals(first.body(), bytes("/gradio_api/thumb=" + id + "?s=256").body(), "second request: the cached file");
    try (Stream<Path> cached = Files.list(tmp.resolve("thumbs"))) {
      assertEquals(1, cached.count());
    }
  }

  @Test
  void smallImagesAreServedAsTheyAre() throws Exception {
    Path img = app.search.images.get(0); // 8x8 PNG
    HttpResponse<byte[]> r = bytes("/gradio_api/thumb=" + img + "?s=128");
    assertEquals(200, r.statusCode());
    assertEquals("image/png", r.headers().firstValue("Content-Type").orElse(""));
    assertArrayEquals(Files.readAllBytes(img), r.body());
  }

  @Test
  void sameAccessRulesAsFile() throws Exception {
    assertEquals(403, app.get("/gradio_api/thumb=/etc/passwd?s=256").statusCode());
    assertEquals(403, app.get("/gradio_api/thumb=uploads/../../secret?s=256").statusCode());
  }

  @Test
  void collectionSizeIsNullWhenTheServiceCannotSayAndNoIngestRuns() throws Exception {
    assertEquals("{\"images\":null,\"ingest\":null}", app.get("/gradio_api/collection").body());
  }

  private HttpResponse<byte[]> bytes(String path) throws Exception {
    return app.http.send(HttpRequest.newBuilder(URI.create(app.base() + path)).build(), HttpResponse.BodyHandlers.ofByteArray());
  }
}
