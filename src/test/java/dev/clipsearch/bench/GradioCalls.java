package dev.clipsearch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * The two calls the driver makes, over Gradio's REST protocol: {@code POST /gradio_api/call/{api}} then the SSE
 * stream {@code GET /gradio_api/call/{api}/{id}} until {@code event: complete}; or the one-shot {@code /run/{api}}.
 * Thread-safe (HttpClient is).
 */
final class GradioCalls {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();
  private final String base;
  private final boolean viaCall;

  GradioCalls(String url, String route) {
    this.base = url.replaceAll("/+$", "") + "/gradio_api";
    this.viaCall = route.equals("call");
  }

  /** @return null on success, else a short error description */
  String search(String api, List<Object> data) throws IOException, InterruptedException {
    String body = JSON.writeValueAsString(Map.of("data", data));
    if (!viaCall) {
      HttpResponse<String> r = http.send(post(base + "/run/" + api, body), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? null : "HTTP " + r.statusCode() + " " + r.body();
    }
    HttpResponse<String> r = http.send(post(base + "/call/" + api, body), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      return "HTTP " + r.statusCode() + " " + r.body();
    }
    String id = JSON.readTree(r.body()).path("event_id").asText();
    HttpRequest get = HttpRequest.newBuilder(URI.create(base + "/call/" + api + "/" + id))
        .timeout(Duration.ofSeconds(120)).GET().build();
    HttpResponse<InputStream> s = http.send(get, HttpResponse.BodyHandlers.ofInputStream());
    return dev.clipsearch.e2e.SoakRun.awaitCompletion(s.body());
  }

  private static HttpRequest post(String url, String body) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  /** Uploads a generated 320x240 JPEG and returns the FileData the image endpoint takes. */
  Map<String, Object> uploadTestImage() throws IOException, InterruptedException {
    BufferedImage img = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
    Random r = new Random(7);
    for (int y = 0; y < 240; y++) {
      for (int x = 0; x < 320; x++) {
        img.setRGB(x, y, (x * 255 / 320) << 16 | (y * 255 / 240) << 8 | r.nextInt(256));
      }
    }
    ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
    ImageIO.write(img, "jpg", jpeg);
    String boundary = "----bench" + System.nanoTime();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\"bench.jpg\"\r\n"
        + "Content-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    body.write(jpeg.toByteArray());
    body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/upload"))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
    HttpResponse<String> r2 = http.send(req, HttpResponse.BodyHandlers.ofString());
    JsonNode paths = JSON.readTree(r2.body());
    if (r2.statusCode() != 200 || !paths.isArray() || paths.isEmpty()) {
      throw new IOException("upload failed: HTTP " + r2.statusCode() + " " + r2.body());
    }
    return Map.of("path", paths.get(0).asText(), "meta", Map.of("_type", "gradio.FileData"));
  }
}
