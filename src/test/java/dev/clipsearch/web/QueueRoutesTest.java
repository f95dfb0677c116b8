package dev.clipsearch.web;

import static dev.clipsearch.web.Fixtures.dataFrames;
import static dev.clipsearch.web.Fixtures.keys;
import static dev.clipsearch.web.Fixtures.msgs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** queue/join + queue/data over HTTP, compared with the 5.49.1 transcripts. */
class QueueRoutesTest extends TestAppCase {
  @Test
  void joinThenStreamMatchesTheTranscript() throws Exception {
    HttpResponse<String> join = app.post("/gradio_api/queue/join",
        "{\"data\":[\"a white dog\",2],\"event_data\":null,\"fn_index\":0,\"trigger_id\":5,\"session_hash\":\"sess1\"}");
    assertEquals(200, join.statusCode(), join.body());
    JsonNode joined = Fixtures.M.readTree(join.body());
    assertEquals(keys(Fixtures.json("5.49.1", "queue_join.json")), keys(joined));
    String eventId = joined.get("event_id").asText();
    assertTrue(eventId.matches("[0-9a-f]{32}"), eventId);

    HttpResponse<String> data = app.get("/gradio_api/queue/data?session_hash=sess1");
    assertEquals(200, data.statusCode());
    assertTrue(data.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
    List<JsonNode> frames = dataFrames(data.body());
    List<JsonNode> golden = dataFrames(Fixtures.text("5.49.1", "queue_data.raw"));
    assertEquals(msgs(golden), msgs(frames));
    for (int i = 0; i < golden.size(); i++) {
      assertEquals(keys(golden.get(i)), keys(frames.get(i)), "keys of " + golden.get(i).get("msg"));
    }
    JsonNode done = frames.get(2);
    assertEquals(eventId, done.get("event_id").asText());
    assertTrue(done.get("success").asBoolean());
    assertEquals(keys(golden.get(2).get("output")), keys(done.get("output")));
    JsonNode gallery = done.get("output").get("data").get(0);
    assertEquals(2, gallery.size());
    JsonNode goldenItem = golden.get(2).get("output").get("data").get(0).get(0);
    JsonNode item = gallery.get(0);
    assertEquals(keys(goldenItem), keys(item));
    assertEquals(keys(goldenItem.get("image")), keys(item.get("image")));
    assertEquals(app.search.images.get(0).toString(), item.get("image").get("path").asText());
    assertEquals(app.base() + "/gradio_api/file=" + app.search.images.get(0), item.get("image").get("url").asText());
    assertEquals("image/png", item.get("image").get("mime_type").asText());
    assertEquals("gradio.FileData", item.get("image").get("meta").get("_type").asText());
    assertEquals("img_0.png \u00b7 0.900", item.get("caption").asText());
    assertTrue(data.body().toLowerCase(java.util.Locale.ROOT).contains("\\u00b7"), "non-ASCII must be escaped on the wire");
    assertTrue(data.body().chars().allMatch(c -> c < 128), "the stream is pure ASCII");
    assertEquals(List.of(2), app.search.ks);
  }

  @Test
  void rootPrefixServesTheSameProtocol() throws Exception {
    HttpResponse<String> join = app.post("/queue/join", "{\"data\":[\"cat\",1],\"fn_index\":0,\"session_hash\":\"old\"}");
    assertEquals(200, join.statusCode());
    List<JsonNode> frames = dataFrames(app.get("/queue/data?session_hash=old").body());
    assertEquals(List.of("estimation", "process_starts", "process_completed", "close_stream"), msgs(frames));
  }

  @Test
  void unknownSessionGetsUnexpectedErrorAndClose() throws Exception {
    HttpResponse<String> data = app.get("/gradio_api/queue/data?session_hash=nobody");
    assertEquals(200, data.statusCode());
    assertEquals("data: {\"msg\":\"unexpected_error\",\"event_id\":null,\"message\":\"404: Not Found\","
        + "\"session_not_found\":true,\"success\":false}\n\n", data.body());
  }

  @Test
  void emptyQueryFailsTheEventWithAClearMessage() throws Exception {
    app.post("/gradio_api/queue/join", "{\"data\":[\"   \",3],\"fn_index\":0,\"session_hash\":\"e1\"}");
    List<JsonNode> frames = dataFrames(app.get("/gradio_api/queue/data?session_hash=e1").body());
    List<JsonNode> golden = dataFrames(Fixtures.text("5.49.1", "queue_data_error.raw"));
    assertEquals(msgs(golden), msgs(frames));
    JsonNode done = frames.get(2);
    assertEquals(keys(golden.get(2)), keys(done));
    assertFalse(done.get("success").asBoolean());
    assertEquals("Error", done.get("title").asText());
    assertEquals("Please enter a search query.", done.get("output").get("error").asText());
    assertTrue(app.search.queries.isEmpty(), "validation happens before the service is called");
  }

  @Test
  void storeFailureIsReportedWithoutInternals() throws Exception {
    app.post("/gradio_api/queue/join", "{\"data\":[\"store down\",3],\"fn_index\":0,\"session_hash\":\"e2\"}");
    JsonNode done = dataFrames(app.get("/gradio_api/queue/data?session_hash=e2").body()).get(2);
    assertEquals(ErrorMapping.STORE_DOWN, done.get("output").get("error").asText());
    assertFalse(done.toString().contains("10.0.0.7"));
  }

  @Test
  void keywordStyleNullTopKUsesTheDefault() throws Exception {
    app.post("/gradio_api/queue/join", "{\"data\":[\"dog\",null],\"fn_index\":0,\"session_hash\":\"k\"}");
    dataFrames(app.get("/gradio_api/queue/data?session_hash=k").body());
    app.post("/gradio_api/queue/join", "{\"data\":[\"dog\"],\"fn_index\":0,\"session_hash\":\"k\"}");
    dataFrames(app.get("/gradio_api/queue/data?session_hash=k").body());
    assertEquals(List.of(10, 10), app.search.ks);
  }

  @Test
  void overlongQueryFailsTheEvent() throws Exception {
    String q = "x".repeat(1001);
    app.post("/gradio_api/queue/join", "{\"data\":[\"" + q + "\",3],\"fn_index\":0,\"session_hash\":\"long\"}");
    JsonNode done = dataFrames(app.get("/gradio_api/queue/data?session_hash=long").body()).get(2);
    assertFalse(done.get("success").asBoolean());
    assertEquals("The query is too long (1001 characters; the limit is 1000).", done.get("output").get("error").asText());
  }

  @Test
  void clientDisconnectDropsTheSessionAndItsEvents() throws Exception {
    app.close();
    app = new TestApp(tmp.resolve("b"), Limits.withHeartbeat(java.time.Duration.ofMillis(100)));
    app.search.hold();
    try {
      app.post("/gradio_api/queue/join", "{\"data\":[\"slow\",1],\"fn_index\":0,\"session_hash\":\"gone\"}");
      app.post("/gradio_api/queue/join", "{\"data\":[\"slow\",1],\"fn_index\":0,\"session_hash\":\"gone\"}");
      try (java.net.Socket s = new java.net.Socket("127.0.0.1", app.server.port())) {
        s.getOutputStream().write(("GET /gradio_api/queue/data?session_hash=gone HTTP/1.1\r\nHost: x\r\n\r\n").getBytes());
        byte[] head = s.getInputStream().readNBytes(12);
        assertEquals("HTTP/1.1 200", new String(head));
      } // the client vanishes while both events are pending
      JsonNode health = null;
      long end = System.nanoTime() + 10_000_000_000L;
      while (System.nanoTime() < end) {
        health = Fixtures.M.readTree(app.get("/health").body());
        if (health.get("sessions").asInt() == 0) break;
        Thread.sleep(20);
      }
      assertEquals(0, health.get("sessions").asInt(), "session dropped after the failed heartbeat write: " + health);
    } finally {
      app.search.release();
    }
  }
}
