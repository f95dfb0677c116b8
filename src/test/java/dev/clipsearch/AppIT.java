package dev.clipsearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipsearch.config.ConfigLoader;
import dev.clipsearch.config.Settings;
import dev.clipsearch.store.Hit;
import dev.clipsearch.testing.SharedData;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The composition root with the real parts (the test model, Milvus Lite, the web server): one search service per
 * process, so a path that any search returned (through the CLI's service or the web's) is authorised for /file= from
 * that service's memory, without a store round trip.
 */
class AppIT {
  @TempDir Path tmp;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void fileAuthorisationWorksAcrossSearchesOfOneService() throws Exception {
    Path images = Files.createDirectories(tmp.resolve("images"));
    for (String cls : List.of("cat", "dog", "ship")) {
      Files.copy(SharedData.root().resolve("data/cifar10-test/" + cls + "/0000.jpg"), images.resolve(cls + ".jpg"));
    }
    Files.copy(SharedData.root().resolve("data/cifar10-test/bird/0000.jpg"), images.resolve("never-ingested.jpg"));
    try (App app = startWithStore()) {
      for (String cls : List.of("cat", "dog", "ship")) {
        app.ingest().ingestFile(images.resolve(cls + ".jpg"));
      }
      assertSame(app.search(), app.search(), "one search service per process");
      int port = app.serve(java.util.Optional.empty());

      List<Hit> hits = app.search().byText("a photo of a cat", 3);
      assertEquals(3, hits.size());
      double storeQueries = storeQueries(port);
      for (Hit hit : hits) {
        assertEquals(200, get(port, "/gradio_api/file=" + hit.path()).statusCode(), hit.path());
      }
      assertEquals(storeQueries, storeQueries(port), "authorised from the search's memory, not by asking the store");

      HttpResponse<String> web = post(port, "/gradio_api/run/search", "{\"data\":[\"a photo of a ship\",2]}");
      assertEquals(200, web.statusCode(), web.body());
      JsonNode gallery = new ObjectMapper().readTree(web.body()).get("data").get(0);
      assertEquals(2, gallery.size(), web.body());
      for (JsonNode item : gallery) {
        String url = item.get("image").get("url").asText();
        assertEquals(200, get(port, URI.create(url).getRawPath()).statusCode(), url);
      }
      String other = images.resolve("never-ingested.jpg").toRealPath().toString();
      assertEquals(403, get(port, "/gradio_api/file=" + other).statusCode(), "neither returned nor stored");
    }
  }

  @Test
  void metricsNameTheCpuAndThePrecisionTheAppChose() throws Exception {
    try (App app = startWithStore()) {
      int port = app.serve(java.util.Optional.empty());
      String metrics = get(port, "/metrics").body();
      Matcher m = Pattern.compile("(?m)^clipsearch_engine_info\\{(.*)} 1(\\.0)?$").matcher(metrics);
      assertTrue(m.find(), metrics);
      String labels = m.group(1);
      Map<String, String> info = app.engineInfo();
      assertTrue(info.get("precision").matches("fp32|bf16"), "auto resolved per machine: " + info);
      for (String key : List.of("cpu_model", "cores", "avx2", "amx_bf16", "device", "precision", "precision_reason")) {
        assertTrue(labels.contains(key + "=\"" + info.get(key).replace("\"", "\\\"") + "\""), key + " in " + labels);
      }
    }
  }

  private App startWithStore() {
    String python = Path.of(".cache/venv/bin/python").toAbsolutePath().toString();
    return App.withStore(ConfigLoader.load(Map.of(Settings.MODEL, SharedData.tinyClipModel().toString(),
        Settings.DATA_DIR, tmp.resolve("data").toString(), Settings.PYTHON, python, Settings.PORT, "0",
        Settings.DEVICE, "cpu", Settings.METRICS_LOG_S, "0"), Map.of()));
  }

  /** How many store queries (the path look-ups behind /file= for paths no search returned) ran so far. */
  private double storeQueries(int port) throws Exception {
    String metrics = get(port, "/metrics").body();
    Matcher m = Pattern.compile("clipsearch_store_call_duration_seconds_count\\{operation=\"query\"} (\\S+)")
        .matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    String encoded = path.replace(" ", URLEncoder.encode(" ", StandardCharsets.UTF_8));
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + encoded))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(int port, String path, String json) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
