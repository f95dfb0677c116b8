package dev.clipsearch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** POST {p}/upload and GET|HEAD {p}/file=, compared with the transcripts' headers; the guard over HTTP. */
class FileRoutesTest {
  @TempDir Path tmp;
  TestApp app;

  @BeforeEach
  void start() throws Exception {
    app = new TestApp(tmp, Limits.withMaxUploadBytes(4096));
    Files.writeString(tmp.resolve("secret.txt"), "secret");
  }

  @AfterEach
  void stop() {
    app.close();
  }

  @Test
  void uploadThenDownload() throws Exception {
    HttpResponse<String> up = app.upload("/gradio_api/upload", "my pic.png", "PNGDATA", "b.txt", "hello");
    assertEquals(200, up.statusCode(), up.body());
    JsonNode ids = Fixtures.M.readTree(up.body());
    assertEquals(2, ids.size(), "one path per part, in order");
    String id = ids.get(0).asText();
    assertTrue(id.matches("uploads/[0-9a-f]{32}/my_pic\\.png"), id);
    assertTrue(ids.get(1).asText().endsWith("/b.txt"));

    HttpResponse<String> file = app.get("/gradio_api/file=" + id);
    assertEquals(200, file.statusCode());
    assertEquals("PNGDATA", file.body());
    assertEquals("image/png", file.headers().firstValue("content-type").orElse(""));
    assertEquals("inline; filename=\"my_pic.png\"", file.headers().firstValue("content-disposition").orElse(""));
    assertEquals("7", file.headers().firstValue("content-length").orElse(""));
    assertTrue(file.headers().firstValue("last-modified").isPresent());

    HttpResponse<String> head = app.http.send(HttpRequest.newBuilder(URI.create(app.base() + "/file=" + id))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, head.statusCode());
    assertEquals("", head.body());
    assertEquals("7", head.headers().firstValue("content-length").orElse(""));
  }

  @Test
  void storedImagesAreServedPercentDecodedOnce() throws Exception {
    Path img = app.search.images.get(0);
    HttpResponse<byte[]> r = app.http.send(HttpRequest.newBuilder(URI.create(app.base() + "/gradio_api/file=" + img.toString().replace("img_", "img%5F")))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, r.statusCode());
    assertEquals(Files.size(img), r.body().length);
  }

  @Test
  void disallowedPathsAre403WithDetail() throws Exception {
    HttpResponse<String> r = app.get("/gradio_api/file=" + tmp.resolve("secret.txt"));
    assertEquals(403, r.statusCode());
    assertEquals("{\"detail\":\"File not allowed: " + tmp.resolve("secret.txt") + ".\"}", r.body());
    assertEquals(403, app.get("/file=/etc/passwd").statusCode());
  }

  @Test
  void traversalNeverServesAFile() throws Exception {
    String id = Fixtures.M.readTree(app.upload("/upload", "a.png", "x").body()).get(0).asText();
    String dir = id.substring(0, id.lastIndexOf('/'));
    for (String attack : new String[] {
        dir + "/../../../secret.txt", dir + "/%2e%2e/%2e%2e/%2e%2e/secret.txt", "uploads/..%2F..%2Fsecret.txt",
        "uploads/%252e%252e/secret.txt", app.search.images.get(0).getParent() + "/../secret.txt"}) {
      int status = raw("GET /gradio_api/file=" + attack + " HTTP/1.1");
      assertTrue(status == 403 || status == 400 || status == 404, attack + " → " + status);
    }
  }

  @Test
  void oversizedUploadIs413() throws Exception {
    HttpResponse<String> r = app.upload("/gradio_api/upload", "big.png", "x".repeat(5000));
    assertEquals(413, r.statusCode(), r.body());
    assertTrue(Fixtures.M.readTree(r.body()).get("detail").asText().contains("4096"));
  }

  @Test
  void uploadWithoutFilesIs400() throws Exception {
    assertEquals(400, app.upload("/upload").statusCode());
  }

  @Test
  void uploadProgressIsAlwaysDone() throws Exception {
    HttpResponse<String> r = app.get("/gradio_api/upload_progress?upload_id=abc");
    assertEquals(200, r.statusCode());
    assertEquals("data: {\"msg\":\"done\"}\n\n", r.body());
  }

  /** Sends a request line verbatim (java.net.http would normalise the dot segments away) and returns the status. */
  private int raw(String requestLine) throws Exception {
    try (Socket s = new Socket("127.0.0.1", app.server.port())) {
      s.getOutputStream().write((requestLine + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      String status = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertNotEquals("", status);
      assertTrue(!status.contains("secret") || status.startsWith("HTTP/1.1 4"), status);
      return Integer.parseInt(status.substring(9, 12));
    }
  }
}
