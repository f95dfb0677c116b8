package dev.clipsearch.web;

import static dev.clipsearch.web.Fixtures.keys;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Discovery, housekeeping and CORS routes, and the 4xx answers of the queue routes. */
class AppRoutesTest extends TestAppCase {
  @Test
  void configIsRootOnlyWithPerRequestRoot() throws Exception {
    HttpResponse<String> c = app.get("/config");
    assertEquals(200, c.statusCode());
    assertEquals("application/json", c.headers().firstValue("content-type").orElse(""));
    JsonNode config = Fixtures.M.readTree(c.body());
    assertEquals(app.base(), config.get("root").asText());
    assertEquals(keys(Fixtures.json("5.49.1", "config.json")), keys(config));
    assertEquals(404, app.get("/gradio_api/config").statusCode(), "real 5.x/6.x do not serve it");
    JsonNode fwd = Fixtures.M.readTree(app.get("/config", "X-Forwarded-Host", "example.com", "X-Forwarded-Proto", "https").body());
    assertEquals("https://example.com", fwd.get("root").asText());
  }

  @Test
  void infoAndAppIdAtBothPrefixes() throws Exception {
    JsonNode a = Fixtures.M.readTree(app.get("/gradio_api/info?serialize=False").body());
    JsonNode b = Fixtures.M.readTree(app.get("/info").body());
    assertEquals(a, b);
    assertTrue(a.get("named_endpoints").has("/search"));
    long appId = Fixtures.M.readTree(app.get("/config").body()).get("app_id").asLong();
    assertEquals(appId, Fixtures.M.readTree(app.get("/gradio_api/app_id").body()).get("app_id").asLong());
    assertTrue(appId < (1L << 53));
  }

  @Test
  void queueStatusResetCancelShapes() throws Exception {
    JsonNode status = Fixtures.M.readTree(app.get("/gradio_api/queue/status").body());
    String golden = Fixtures.text("5.49.1", "queue_status.raw");
    assertEquals(Fixtures.M.readTree(golden.substring(golden.indexOf("\r\n\r\n") + 4)), status);
    assertEquals("{\"success\":true}", app.post("/gradio_api/reset", "{\"event_id\":\"abc\"}").body());
    assertEquals("{\"success\":true}", app.post("/cancel", "{\"event_id\":\"abc\",\"session_hash\":\"s\",\"fn_index\":0}").body());
  }

  @Test
  void joinValidation() throws Exception {
    HttpResponse<String> noSession = app.post("/gradio_api/queue/join", "{\"data\":[\"x\",1],\"fn_index\":0}");
    assertEquals(400, noSession.statusCode());
    assertEquals("{\"detail\":\"Session hash not found.\"}", noSession.body());

    HttpResponse<String> noData = app.post("/gradio_api/queue/join", "{\"fn_index\":0,\"session_hash\":\"s\"}");
    assertEquals(422, noData.statusCode());
    JsonNode issue = Fixtures.M.readTree(noData.body()).get("detail").get(0);
    assertEquals("missing", issue.get("type").asText());
    assertEquals("[\"body\",\"data\"]", issue.get("loc").toString());

    HttpResponse<String> badJson = app.post("/gradio_api/queue/join", "{\"data\":[\"x\",");
    assertEquals(422, badJson.statusCode());
    assertEquals("json_invalid", Fixtures.M.readTree(badJson.body()).get("detail").get(0).get("type").asText());

    assertEquals(404, app.post("/gradio_api/queue/join", "{\"data\":[],\"fn_index\":7,\"session_hash\":\"s\"}").statusCode());
    assertEquals(400, app.get("/gradio_api/queue/data").statusCode(), "queue/data without session_hash");
  }

  @Test
  void fullQueueIs503WithGradioDetail() throws Exception {
    app.close();
    app = new TestApp(tmp.resolve("b"), Limits.withQueue(new dev.clipsearch.gradio.QueueLimits(1, 1, 1, 1, 100, 8, Duration.ofMinutes(1))));
    app.search.hold();
    try {
      assertEquals(200, app.post("/queue/join", "{\"data\":[\"slow\",1],\"fn_index\":0,\"session_hash\":\"a\"}").statusCode());
      long end = System.nanoTime() + 5_000_000_000L;
      while (app.search.queries.isEmpty() && System.nanoTime() < end) Thread.sleep(5); // running now
      assertEquals(200, app.post("/queue/join", "{\"data\":[\"slow\",1],\"fn_index\":0,\"session_hash\":\"a\"}").statusCode());
      HttpResponse<String> full = app.post("/queue/join", "{\"data\":[\"x\",1],\"fn_index\":0,\"session_hash\":\"b\"}");
      assertEquals(503, full.statusCode());
      assertTrue(Fixtures.M.readTree(full.body()).get("detail").asText().startsWith("Queue is full. Max size is 1"), full.body());
      assertEquals("1", full.headers().firstValue("retry-after").orElse(""));
    } finally {
      app.search.release();
    }
  }

  @Test
  void heartbeatSendsAliveAtOnce() throws Exception {
    HttpResponse<InputStream> r = app.http.send(HttpRequest.newBuilder(URI.create(app.base() + "/gradio_api/heartbeat/s1"))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
    try (InputStream in = r.body()) {
      assertEquals("data: ALIVE\n\n", new String(in.readNBytes(13), StandardCharsets.UTF_8));
    }
    assertEquals(Fixtures.text("5.49.1", "heartbeat.raw"), "data: ALIVE\n\n");
  }

  @Test
  void corsFollowsGradio() throws Exception {
    HttpResponse<String> pre = app.http.send(HttpRequest.newBuilder(URI.create(app.base() + "/gradio_api/queue/join"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "http://localhost:3000")
        .header("Access-Control-Request-Method", "POST").header("Access-Control-Request-Headers", "content-type,x-gradio-user")
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, pre.statusCode());
    assertEquals("DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT", pre.headers().firstValue("access-control-allow-methods").orElse(""));
    assertEquals("content-type,x-gradio-user", pre.headers().firstValue("access-control-allow-headers").orElse(""));
    assertEquals("http://localhost:3000", pre.headers().firstValue("access-control-allow-origin").orElse(""));
    // Bound to 127.0.0.1: a foreign origin gets no allow-origin (cors_config_other.raw).
    HttpResponse<String> other = app.get("/config", "Origin", "http://example.com");
    assertFalse(other.headers().firstValue("access-control-allow-origin").isPresent());
    assertEquals("true", other.headers().firstValue("access-control-allow-credentials").orElse(""));
  }

  @Test
  void healthAndIndexPage() throws Exception {
    JsonNode h = Fixtures.M.readTree(app.get("/health").body());
    assertEquals("ok", h.get("status").asText());
    assertTrue(h.has("queued") && h.has("sessions"));
    HttpResponse<String> index = app.get("/");
    assertEquals(200, index.statusCode());
    assertTrue(index.body().contains("/gradio_api/call/search"));
  }

  @Test
  void unknownRoutesAndOversizedJsonAnswerWithDetail() throws Exception {
    HttpResponse<String> r = app.get("/gradio_api/nope");
    assertEquals(404, r.statusCode());
    assertEquals("{\"detail\":\"Not Found\"}", r.body());
    HttpResponse<String> big = app.post("/gradio_api/queue/join", "{\"data\":[\"" + "x".repeat(1_100_000) + "\"]}");
    assertEquals(413, big.statusCode());
  }

  @Test
  void aUiDirectoryIsServedAtTheRoot() throws Exception {
    Path ui = java.nio.file.Files.createDirectories(tmp.resolve("ui"));
    java.nio.file.Files.writeString(ui.resolve("index.html"), "<p>the real UI</p>");
    try (WebServer s = new WebServer(app.search, app.ingest, tmp.resolve("u2"), Limits.defaults(),
        new UiChoice(java.util.Optional.of(ui), false, java.util.Optional.empty()),
        Limits.openOps(app.search))) {
      s.start(0, "127.0.0.1");
      HttpResponse<String> r = app.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals("<p>the real UI</p>", r.body());
      HttpResponse<String> cfg = app.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/config")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, cfg.statusCode());
    }
  }
}
