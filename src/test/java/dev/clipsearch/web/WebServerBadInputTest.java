package dev.clipsearch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.ingest.IngestService;
import dev.clipsearch.model.image.ImageDecoder;
import dev.clipsearch.search.SearchService;
import dev.clipsearch.store.Hit;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bad input of issue 10 that reaches the HTTP server, through the real routes and the real image decoder (the
 * model and Milvus are stand-ins: what matters is what the server answers). Each case asserts the status, a message a
 * user can act on, that the server still answers, and that nothing was stored. Decoder-level details (every format's
 * bomb header, truncation variants) are in model/ImageDecoderTest; file= traversal variants also in FileRoutesTest.
 */
class WebServerBadInputTest {
  static final long MAX_UPLOAD = 256 * 1024;
  @TempDir Path tmp;
  TestApp app;
  /** What the ingest stand-in stored: must stay empty for every bad input. */
  final List<Path> stored = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    app = decodingApp(tmp, stored);
  }

  @AfterEach
  void stop() {
    app.close();
  }

  // ---- images: upload, then search_image and ingest must refuse them with the decoder's reason ----

  @Test
  void zeroByteImage() throws Exception {
    assertImageRefused("empty.png", new byte[0], 400, "empty");
  }

  @Test
  void truncatedImage() throws Exception {
    byte[] png = png(40, 30);
    assertImageRefused("cut.png", java.util.Arrays.copyOf(png, png.length / 2), 400, "");
  }

  @Test
  void corruptImageBehindARealSignature() throws Exception {
    byte[] png = png(40, 30);
    for (int i = 40; i < png.length; i++) {
      png[i] = (byte) (i * 31);
    }
    assertImageRefused("corrupt.png", png, 400, "");
  }

  @Test
  void textWithAnImageExtension() throws Exception {
    assertImageRefused("notes.jpg", "just some text, not a JPEG\n".getBytes(StandardCharsets.UTF_8), 400, "");
  }

  @Test
  void decompressionBombIsRefusedFromItsHeader() throws Exception {
    byte[] gif = Files.readAllBytes(Path.of("src/test/resources/fixtures/images/gif_palette.gif"));
    gif[6] = gif[7] = gif[8] = gif[9] = (byte) 0xFF; // logical screen 65535 x 65535 in a file of a few hundred bytes
    assertImageRefused("bomb.gif", gif, 413, "");
  }

  @Test
  void uploadOverTheSizeLimit() throws Exception {
    HttpResponse<String> r = app.upload("/gradio_api/upload", "big.png", "x".repeat((int) MAX_UPLOAD + 1));
    assertEquals(413, r.statusCode(), r.body());
    assertTrue(r.body().contains("File too large: the limit is " + MAX_UPLOAD + " bytes."), r.body());
    assertStillUpAndNothingStored();
  }

  @Test
  void animatedGifUsesItsFirstFrame() throws Exception {
    byte[] gif = animatedGif();
    BufferedImage first = ImageDecoder.decode(gif, ImageDecoder.DEFAULT_MAX_PIXELS);
    assertEquals(0xFF0000, first.getRGB(2, 2) & 0xFFFFFF, "frame 1 is red, frame 2 blue");
    String id = uploadOne("anim.gif", gif);
    HttpResponse<String> r = app.post("/run/search_image", "{\"data\":[{\"path\":\"" + id + "\"},1]}");
    assertEquals(200, r.statusCode(), r.body());
  }

  // ---- queries ----

  @Test
  void emptyWhitespaceAndOverlongQueries() throws Exception {
    assertSearchRefused("\"\"", "1", 400, "Please enter a search query.");
    assertSearchRefused("\" \\t\\n \"", "1", 400, "Please enter a search query.");
    assertSearchRefused("\"" + "a".repeat(1001) + "\"", "1", 400, "The query is too long (1001 characters; the limit is 1000).");
    HttpResponse<String> body = app.post("/run/search", "{\"data\":[\"" + "a".repeat(1_100_000) + "\",1]}");
    assertEquals(413, body.statusCode(), "an absurdly large body is refused before parsing");
    assertStillUpAndNothingStored();
  }

  @Test
  void controlCharactersAndInvalidUtf8AreSearchedOrRefusedNeverA500() throws Exception {
    HttpResponse<String> ctl = app.post("/run/search", "{\"data\":[\"dog\\u0000\\u0007\\u001b[31m\",1]}");
    assertEquals(200, ctl.statusCode(), ctl.body());
    byte[] bad = "{\"data\":[\"dog \u00ff\u00fe\",1]}".getBytes(StandardCharsets.ISO_8859_1); // lone 0xFF 0xFE
    HttpResponse<String> r = app.http.send(HttpRequest.newBuilder(URI.create(app.base() + "/run/search"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(bad)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertTrue(r.statusCode() == 200 || r.statusCode() == 400 || r.statusCode() == 422, r.statusCode() + " " + r.body());
    assertStillUpAndNothingStored();
  }

  @Test
  void topKZeroNegativeHugeAndNotANumber() throws Exception {
    assertSearchRefused("\"dog\"", "0", 400, "Top K must be between 1 and 50, got 0.");
    assertSearchRefused("\"dog\"", "-3", 400, "Top K must be between 1 and 50, got -3.");
    assertSearchRefused("\"dog\"", "1e12", 400, "Top K must be between 1 and 50");
    assertSearchRefused("\"dog\"", "\"ten\"", 400, "Top K must be a whole number, got \\\"ten\\\".");
    assertSearchRefused("\"dog\"", "2.5", 400, "Top K must be a whole number, got 2.5.");
  }

  // ---- protocol ----

  @Test
  void malformedJsonUnknownApiAndUnknownFnIndex() throws Exception {
    HttpResponse<String> json = app.post("/gradio_api/queue/join", "{\"data\": [\"dog\", ");
    assertEquals(422, json.statusCode(), json.body()); // FastAPI's shape, which gradio_client raises as ValidationError
    assertTrue(json.body().contains("JSON decode error"), json.body());
    HttpResponse<String> api = app.post("/gradio_api/call/no_such_api", "{\"data\":[]}");
    assertEquals(404, api.statusCode(), api.body());
    HttpResponse<String> fn = app.post("/run/predict", "{\"fn_index\":99,\"data\":[]}");
    assertEquals(404, fn.statusCode());
    assertEquals("{\"detail\":\"Unknown fn_index 99.\"}", fn.body());
    HttpResponse<String> join = app.post("/queue/join", "{\"fn_index\":99,\"data\":[],\"session_hash\":\"s1\"}");
    assertTrue(join.statusCode() == 404 || join.statusCode() == 422, join.body());
    assertStillUpAndNothingStored();
  }

  @Test
  void fileRouteRefusesTraversalAbsoluteEncodedAndSymlinkEscapes() throws Exception {
    Path secret = Files.writeString(tmp.resolve("secret.txt"), "do not serve");
    Files.createDirectories(app.uploads.resolve("abc"));
    Files.createSymbolicLink(app.uploads.resolve("abc/link.png"), secret);
    String up = app.uploads.toAbsolutePath().toString();
    for (String p : new String[] {up + "/../secret.txt", secret.toString(), "/etc/passwd",
        up + "/%2e%2e/secret.txt", up + "%2F..%2Fsecret.txt", up + "/%252e%252e/secret.txt", up + "/abc/link.png",
        "..%2f..%2fetc%2fpasswd"}) {
      HttpResponse<String> r = app.get("/gradio_api/file=" + p);
      assertEquals(403, r.statusCode(), p + " -> " + r.body());
      assertTrue(r.body().startsWith("{\"detail\":\"File not allowed"), r.body());
      assertTrue(!r.body().contains("do not serve") && !r.body().contains("root:"), r.body());
    }
    assertStillUpAndNothingStored();
  }

  // ---- helpers ----

  private void assertImageRefused(String name, byte[] bytes, int status, String messagePart) throws Exception {
    String id = uploadOne(name, bytes);
    for (String api : new String[] {"search_image", "ingest"}) {
      String data = api.equals("ingest") ? "[{\"path\":\"" + id + "\"},\"caption\"]" : "[{\"path\":\"" + id + "\"},1]";
      HttpResponse<String> r = app.post("/run/" + api, "{\"data\":" + data + "}");
      assertEquals(status, r.statusCode(), api + " " + name + ": " + r.body());
      String error = Fixtures.M.readTree(r.body()).get("error").asText();
      assertTrue(!error.isBlank() && !error.contains("Internal") && error.contains(messagePart), error);
    }
    assertStillUpAndNothingStored();
  }

  private void assertSearchRefused(String query, String k, int status, String message) throws Exception {
    HttpResponse<String> r = app.post("/run/search", "{\"data\":[" + query + "," + k + "]}");
    assertEquals(status, r.statusCode(), r.body());
    assertTrue(r.body().contains(message), r.body());
    assertStillUpAndNothingStored();
  }

  private String uploadOne(String name, byte[] bytes) throws Exception {
    HttpResponse<String> up = app.upload("/gradio_api/upload", name, new String(bytes, StandardCharsets.ISO_8859_1));
    assertEquals(200, up.statusCode(), up.body());
    return Fixtures.M.readTree(up.body()).get(0).asText();
  }

  private void assertStillUpAndNothingStored() throws Exception {
    assertEquals(200, app.get("/healthz").statusCode());
    assertEquals(200, app.post("/run/search", "{\"data\":[\"dog\",1]}").statusCode(), "a good search still works");
    assertEquals(List.of(), stored);
  }

  private static byte[] png(int w, int h) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, (x * 7 + y * 13) * 0x010203);
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  /** Two 8x8 frames, red then blue. */
  private static byte[] animatedGif() throws Exception {
    ImageWriter w = ImageIO.getImageWritersByFormatName("gif").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream s = new MemoryCacheImageOutputStream(out)) {
      w.setOutput(s);
      w.prepareWriteSequence(null);
      w.writeToSequence(new IIOImage(FakeSearchService.solid(java.awt.Color.RED), null, null), null);
      w.writeToSequence(new IIOImage(FakeSearchService.solid(java.awt.Color.BLUE), null, null), null);
      w.endWriteSequence();
    }
    w.dispose();
    return out.toByteArray();
  }

  /** The test app, but image search and ingest decode with the server's real {@link ImageDecoder}. */
  private static TestApp decodingApp(Path tmp, List<Path> stored) throws java.io.IOException {
    return new TestApp(tmp, Limits.withMaxUploadBytes(MAX_UPLOAD), null, (fake, ingest) -> {
      SearchService search = new SearchService() {
        @Override
        public List<Hit> byText(String q, int k) {
          return fake.byText(q, k);
        }

        @Override
        public List<Hit> byImage(byte[] encoded, int k) {
          ImageDecoder.decode(encoded, ImageDecoder.DEFAULT_MAX_PIXELS);
          return fake.byText("image query", k);
        }

        @Override
        public boolean isServable(String path) {
          return fake.isServable(path);
        }
      };
      IngestService real = (file, caption) -> {
        try {
          ImageDecoder.decode(Files.readAllBytes(file), ImageDecoder.DEFAULT_MAX_PIXELS);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        stored.add(file);
        return "stored";
      };
      return new TestApp.Services(search, real);
    });
  }
}
