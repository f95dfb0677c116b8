package dev.clipsearch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.gradio.SearchAppBlocks;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The optional API token: writes need it by default, everything in "everything" mode, probes never. */
class ApiTokenTest {
  static final String TOKEN = "s3cret-token-123";
  static final String[] BEARER = {"Authorization", "Bearer " + TOKEN};
  @TempDir Path tmp;
  TestApp app;

  void start(boolean everything) throws Exception {
    app = new TestApp(tmp, Limits.defaults(),
        s -> Limits.ops(s, new ApiToken(Optional.of(TOKEN), everything), java.util.Set.of()));
  }

  @AfterEach
  void stop() {
    if (app != null) {
      app.close();
    }
  }

  @Test
  void uploadNeedsTheTokenAsBearerOrHeader() throws Exception {
    start(false);
    HttpResponse<String> none = app.upload("/gradio_api/upload", "a.png", "x");
    assertEquals(401, none.statusCode());
    assertEquals("{\"detail\":\"This server requires an API token for this request: send 'Authorization: Bearer "
        + "<token>'.\"}", none.body());
    assertEquals("Bearer", none.headers().firstValue("www-authenticate").orElse(""));
    HttpResponse<String> wrong = app.uploadWith(new String[] {"Authorization", "Bearer nope-nope-nope"},
        "/gradio_api/upload", "a.png", "x");
    assertEquals(401, wrong.statusCode());
    assertEquals("{\"detail\":\"Invalid API token.\"}", wrong.body());
    assertTrue(java.nio.file.Files.notExists(app.uploads) || isEmpty(app.uploads), "nothing was stored");

    assertEquals(200, app.uploadWith(BEARER, "/gradio_api/upload", "a.png", "x").statusCode());
    assertEquals(200, app.uploadWith(new String[] {"X-Api-Token", TOKEN}, "/upload", "b.png", "y").statusCode());
  }

  @Test
  void ingestNeedsTheTokenOnEveryRouteThatReachesIt() throws Exception {
    start(false);
    String body = "{\"data\":[{\"path\":\"x\"},\"c\"],\"fn_index\":" + SearchAppBlocks.FN_INGEST
        + ",\"session_hash\":\"abc\"}";
    for (String route : new String[] {"/gradio_api/call/ingest", "/gradio_api/run/ingest", "/run/predict",
        "/api/predict", "/gradio_api/queue/join", "/queue/join"}) {
      HttpResponse<String> r = app.post(route, body);
      assertEquals(401, r.statusCode(), route + ": " + r.body());
      assertTrue(r.body().contains("API token"), r.body());
    }
    // with the token the request gets past the check (and fails on its input instead)
    HttpResponse<String> ok = app.send("/gradio_api/run/ingest", body, BEARER);
    assertTrue(ok.statusCode() != 401, ok.body());
    assertEquals(0, app.ingest.ingested.size());
  }

  @Test
  void searchStaysOpenForUnmodifiedGradioClients() throws Exception {
    start(false);
    assertEquals(200, app.post("/gradio_api/run/search", "{\"data\":[\"dog\",1]}").statusCode());
    HttpResponse<String> join = app.post("/gradio_api/queue/join",
        "{\"data\":[\"dog\",1],\"fn_index\":0,\"session_hash\":\"abc\"}");
    assertEquals(200, join.statusCode(), join.body());
    assertEquals(200, app.get("/config").statusCode());
  }

  @Test
  void everythingModeGuardsAllButTheProbes() throws Exception {
    start(true);
    assertEquals(401, app.get("/config").statusCode());
    assertEquals(401, app.get("/metrics").statusCode());
    assertEquals(401, app.post("/gradio_api/run/search", "{\"data\":[\"dog\",1]}").statusCode());
    assertEquals(200, app.send("/gradio_api/run/search", "{\"data\":[\"dog\",1]}", BEARER).statusCode());
    assertEquals(200, app.get("/healthz").statusCode());
    assertEquals(200, app.get("/readyz").statusCode());
  }

  @Test
  void aShortTokenIsRefusedAtConstruction() {
    assertThrows(IllegalArgumentException.class, () -> new ApiToken(Optional.of("short"), false));
  }

  private static boolean isEmpty(Path dir) throws java.io.IOException {
    try (var s = java.nio.file.Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }
}
