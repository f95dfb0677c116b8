package dev.clipsearch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replays the requests behind each captured transcript (../shared/fixtures/gradio/{4.44.1,5.49.1,6.25.0}, see its
 * README) against our server over the fakes, with that version's route prefix (4.44.1's root paths exercise our root
 * aliases), and compares the shapes of our answers with the captured ones: status codes, the headers clients rely on,
 * JSON keys and kinds, and SSE frame sequences. Values (ids, timings, paths, ports) are not compared.
 *
 * <p>Our config/info/messages are one fixed shape (5.x-based, docs/gradio-protocol.md, "Versions and route prefixes"),
 * so each version has a few known differences; they are listed in {@link Accepted} with the reason, and any other
 * difference fails.
 */
class GradioTranscriptReplayIT extends TestAppCase {
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"4.44.1", "5.49.1", "6.25.0"})
  void configHasTheCapturedTopLevelKeysAndKinds(String v) throws Exception {
    Transcript t = new Transcript(v);
    HttpResponse<String> r = send("GET", "/config", null);
    assertStatusAndType(t.response("config.headers"), r);
    assertOnly(v, "config", JsonShape.diff(t.json("config.json"), json(r), 1));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"4.44.1", "5.49.1", "6.25.0"})
  void infoDescribesEveryCapturedEndpointWithTheSameFields(String v) throws Exception {
    Transcript t = new Transcript(v);
    HttpResponse<String> r = send("GET", t.prefix() + "/info?serialize=False", null);
    assertStatusAndType(t.response("info.headers"), r);
    JsonNode golden = t.json("info.json");
    JsonNode ours = json(r);
    assertOnly(v, "info", JsonShape.diff(golden, ours, 1));
    for (Iterator<String> it = golden.get("named_endpoints").fieldNames(); it.hasNext(); ) {
      String api = it.next();
      // Depth 3: endpoint keys, each parameter/return's keys and kinds (the JSON schemas inside differ by version).
      assertOnly(v, "info" + api, JsonShape.diff(golden.get("named_endpoints").get(api), ours.get("named_endpoints").get(api), 3));
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"4.44.1", "5.49.1", "6.25.0"})
  void queueJoinThenStreamFollowTheCapturedFrames(String v) throws Exception {
    Transcript t = new Transcript(v);
    HttpResponse<String> join = send("POST", t.prefix() + "/queue/join",
        "{\"data\":[\"a white dog\",2],\"event_data\":null,\"fn_index\":0,\"trigger_id\":5,\"session_hash\":\"sess1\"}");
    assertEquals(200, join.statusCode());
    assertOnly(v, "queue_join", JsonShape.diff(t.json("queue_join.json"), json(join)));
    assertTrue(json(join).get("event_id").asText().matches("[0-9a-f]{32}"), "event ids are uuid4 hex like Gradio's");
    HttpResponse<String> data = send("GET", t.prefix() + "/queue/data?session_hash=sess1", null);
    assertStatusAndType(t.response("queue_data.headers"), data);
    assertFrames(v, "queue_data", Transcript.frames(t.text("queue_data.raw")), Transcript.frames(data.body()));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"4.44.1", "5.49.1", "6.25.0"})
  void failedEventStreamsTheCapturedErrorFrames(String v) throws Exception {
    Transcript t = new Transcript(v);
    assertEquals(200, send("POST", t.prefix() + "/queue/join", "{\"data\":[\"x\",[1]],\"fn_index\":0,\"session_hash\":\"err1\"}").statusCode());
    HttpResponse<String> data = send("GET", t.prefix() + "/queue/data?session_hash=err1", null);
    assertFrames(v, "queue_data_error", Transcript.frames(t.text("queue_data_error.raw")), Transcript.frames(data.body()));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"4.44.1", "5.49.1", "6.25.0"})
  void callPostThenGetAnswerLikeTheTranscript(String v) throws Exception {
    Transcript t = new Transcript(v);
    HttpResponse<String> post = send("POST", t.prefix() + "/call/search", "{\"data\":[\"a white dog\",1]}");
    assertStatusAndType(t.response("call_post.headers"), post);
    assertOnly(v, "call_post", JsonShape.diff(t.json("call_post.json"), json(post)));
    HttpResponse<String> get = send("GET", t.prefix() + "/call/search/" + json(post).get("event_id").asText(), null);
    assertStatusAndType(t.response("call_get.headers"), get);
    assertFrames(v, "call_get", Transcript.frames(t.text("call_get.raw")), Transcript.frames(get.body()));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"4.44.1", "5.49.1", "6.25.0"})
  void callErrorIsOneErrorEventLikeTheTranscript(String v) throws Exception {
    Transcript t = new Transcript(v);
    HttpResponse<String> post = send("POST", t.prefix() + "/call/search", "{\"data\":[\"x\",[1]]}");
    HttpResponse<String> get = send("GET", t.prefix() + "/call/search/" + json(post).get("event_id").asText(), null);
    assertFrames(v, "call_get_error", Transcript.frames(t.text("call_get_error.raw")), Transcript.frames(get.body()));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"4.44.1", "5.49.1", "6.25.0"})
  void runAndApiAnswerLikeTheTranscript(String v) throws Exception {
    Transcript t = new Transcript(v);
    Transcript.Response golden = t.response("run_post.raw");
    HttpResponse<String> ok = send("POST", t.prefix() + "/run/search", "{\"data\":[\"a white dog\",1]}");
    assertStatusAndType(golden, ok);
    assertOnly(v, "run_post", JsonShape.diff(golden.json(), json(ok)));
    Transcript.Response goldenError = t.response("run_post_error.raw");
    HttpResponse<String> bad = send("POST", t.prefix() + "/api/search", "{\"data\":[\"x\",[1]]}");
    // Gradio answers every failure with 500; bad input is ours to report as 400 (CallRoutes#run), still an error.
    assertEquals(500, goldenError.status());
    assertEquals(400, bad.statusCode());
    assertOnly(v, "run_post_error", JsonShape.diff(goldenError.json(), json(bad)));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"4.44.1", "5.49.1", "6.25.0"})
  void uploadThenFileDownloadAnswerLikeTheTranscript(String v) throws Exception {
    Transcript t = new Transcript(v);
    String png = new String(Files.readAllBytes(app.search.images.get(0)), StandardCharsets.ISO_8859_1);
    HttpResponse<String> up = app.upload(t.prefix() + "/upload", "img_0.png", png);
    assertStatusAndType(t.response("upload.headers"), up);
    assertOnly(v, "upload", JsonShape.diff(t.json("upload.json"), json(up)));
    String path = json(up).get(0).asText();
    HttpResponse<String> file = send("GET", t.prefix() + "/file=" + path, null);
    Transcript.Response golden = t.response("file.headers");
    assertStatusAndType(golden, file);
    assertEquals(golden.headers().get("content-disposition"), header(file, "content-disposition"));
    assertEquals(String.valueOf(png.length()), header(file, "content-length"));
    assertOnly(v, "file headers", headerNameDiff(golden, file));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"4.44.1", "5.49.1", "6.25.0"})
  void heartbeatSendsTheCapturedAliveFrameAtOnce(String v) throws Exception {
    Transcript t = new Transcript(v);
    String golden = t.text("heartbeat.raw");
    HttpResponse<InputStream> r = app.http.send(request("GET", t.prefix() + "/heartbeat/sess1", null).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = r.body()) {
      assertEquals(t.response("heartbeat.headers").headers().get("content-type"), header(r, "content-type"));
      assertEquals(golden, new String(in.readNBytes(golden.length()), StandardCharsets.UTF_8));
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"4.44.1", "5.49.1", "6.25.0"})
  void smallRoutesAnswerLikeTheTranscript(String v) throws Exception {
    Transcript t = new Transcript(v);
    String p = t.prefix();
    assertLike(v, t.response("queue_status.raw"), send("GET", p + "/queue/status", null));
    assertLike(v, t.response("app_id.raw"), send("GET", p + "/app_id", null));
    assertLike(v, t.response("reset.raw"), send("POST", p + "/reset", "{\"event_id\":\"abc\"}"));
    assertLike(v, t.response("cancel.raw"), send("POST", p + "/cancel", "{\"event_id\":\"abc\",\"session_hash\":\"sess1\",\"fn_index\":0}"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"4.44.1", "5.49.1", "6.25.0"})
  void corsAnswersLikeTheTranscript(String v) throws Exception {
    Transcript t = new Transcript(v);
    assertCors(t.response("cors_preflight.raw"), send("OPTIONS", t.prefix() + "/queue/join", null,
        "Origin", "http://example.com", "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type,x-gradio-user"));
    assertCors(t.response("cors_config_localhost.raw"), send("GET", "/config", null, "Origin", "http://localhost:3000"));
    assertCors(t.response("cors_config_other.raw"), send("GET", "/config", null, "Origin", "http://example.com"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"4.44.1", "5.49.1", "6.25.0"})
  void forwardedHeadersMakeTheSameRoot(String v) throws Exception {
    // The capture keeps only the last 200 bytes of the /config body, which end with the root.
    java.util.regex.Matcher golden = java.util.regex.Pattern.compile("\"root\":\"([^\"]*)\"").matcher(new Transcript(v).text("root_forwarded.raw"));
    assertTrue(golden.find(), "root in root_forwarded.raw");
    HttpResponse<String> r = send("GET", "/config", null, "X-Forwarded-Host", "example.com", "X-Forwarded-Proto", "https");
    assertEquals(golden.group(1), json(r).get("root").asText());
    assertEquals("https://example.com", json(r).get("root").asText());
  }

  // --- helpers -----------------------------------------------------------------------------------------------------

  private void assertFrames(String v, String what, List<Transcript.Frame> golden, List<Transcript.Frame> ours) {
    assertEquals(golden.stream().map(GradioTranscriptReplayIT::label).toList(), ours.stream().map(GradioTranscriptReplayIT::label).toList(),
        what + ": frame sequence");
    List<String> diffs = new ArrayList<>();
    for (int i = 0; i < golden.size(); i++) {
      for (String d : JsonShape.diff(golden.get(i).data(), ours.get(i).data())) diffs.add(label(golden.get(i)) + " " + d);
    }
    assertOnly(v, what, diffs);
  }

  /** "event:msg" of a frame, e.g. ":process_completed" on the queue stream or "complete:" on /call. */
  private static String label(Transcript.Frame f) {
    JsonNode msg = f.data().isObject() ? f.data().get("msg") : null;
    return (f.event() == null ? "" : f.event()) + ":" + (msg == null ? "" : msg.asText());
  }

  private void assertLike(String v, Transcript.Response golden, HttpResponse<String> ours) throws IOException {
    assertStatusAndType(golden, ours);
    assertOnly(v, ours.uri().getPath(), JsonShape.diff(golden.json(), json(ours)));
  }

  private static void assertStatusAndType(Transcript.Response golden, HttpResponse<?> ours) {
    assertEquals(golden.status(), ours.statusCode(), ours.uri() + " status");
    String want = golden.headers().get("content-type");
    assertEquals(want.replace(" ", "").toLowerCase(), header(ours, "content-type").replace(" ", "").toLowerCase(), ours.uri() + " content-type");
  }

  /** CORS: same status and the same access-control-* and vary headers, with the same values. */
  private static void assertCors(Transcript.Response golden, HttpResponse<String> ours) {
    assertEquals(golden.status(), ours.statusCode(), ours.uri() + " status");
    Set<String> want = new TreeSet<>();
    golden.headers().forEach((k, val) -> {
      if (k.startsWith("access-control-") || k.equals("vary")) want.add(k + ": " + val);
    });
    Set<String> got = new TreeSet<>();
    ours.headers().map().forEach((k, vals) -> {
      String key = k.toLowerCase();
      if (key.startsWith("access-control-") || key.equals("vary")) got.add(key + ": " + String.join(", ", vals));
    });
    assertEquals(want, got, ours.request().method() + " " + ours.uri() + " CORS headers");
  }

  /** Response header names the transcript has and we lack (server/date are the HTTP stack's, not the protocol's). */
  private static List<String> headerNameDiff(Transcript.Response golden, HttpResponse<?> ours) {
    List<String> out = new ArrayList<>();
    for (String k : golden.headers().keySet()) {
      if (!k.equals("server") && !k.equals("date") && ours.headers().firstValue(k).isEmpty()) out.add("header " + k + ": missing");
    }
    return out;
  }

  private static void assertOnly(String v, String what, List<String> diffs) {
    List<String> unexpected = diffs.stream().filter(d -> !Accepted.of(v, what).contains(d)).toList();
    assertTrue(unexpected.isEmpty(), v + " " + what + ": differences from the transcript " + unexpected);
  }

  private static String header(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name).orElse("(none)");
  }

  private JsonNode json(HttpResponse<String> r) throws IOException {
    return Fixtures.M.readTree(r.body());
  }

  private HttpRequest.Builder request(String method, String path, String body, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(app.base() + path)).timeout(Duration.ofSeconds(20));
    for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
    if (body != null) b.header("Content-Type", "application/json");
    return b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
  }

  private HttpResponse<String> send(String method, String path, String body, String... headers) throws IOException, InterruptedException {
    return app.http.send(request(method, path, body, headers).build(), HttpResponse.BodyHandlers.ofString());
  }
}
