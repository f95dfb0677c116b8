package dev.clipsearch.web;

import static dev.clipsearch.web.Fixtures.dataFrames;
import static dev.clipsearch.web.Fixtures.msgs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipsearch.store.InMemoryVectorStore;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upload into a collection that cannot take new rows (made by other code with keys of its own, say): a 409 that
 * says why, on /run and as the Gradio error event, not the 503 "store down"; searching and readiness are unaffected.
 * The ingest stand-in asks the store first as the real one does; {@code TutorialCollectionIT} and
 * {@code ReadOnlyCollectionIT} do it with a real Milvus.
 */
class ReadOnlyCollectionRoutesTest {
  private static final String BECAUSE = "its primary key 'pk' is not auto_id, and clip-search does not invent keys";
  @TempDir Path tmp;
  TestApp app;
  final List<Path> stored = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    InMemoryVectorStore store = new InMemoryVectorStore(4);
    store.ensureCollection();
    store.readOnly(BECAUSE);
    app = new TestApp(tmp, Limits.defaults(), null, (search, ingest) -> new TestApp.Services(search,
        (file, caption) -> {
          store.requireWritable();
          stored.add(file);
          return "stored";
        }));
  }

  @AfterEach
  void stop() {
    app.close();
  }

  @Test
  void anUploadIsRefusedWith409AndTheReasonAndSearchingStillWorks() throws Exception {
    String id = upload();
    HttpResponse<String> r = app.post("/run/ingest", "{\"data\":[{\"path\":\"" + id + "\"},\"a caption\"]}");
    assertEquals(409, r.statusCode(), r.body());
    String error = Fixtures.M.readTree(r.body()).get("error").asText();
    assertTrue(error.startsWith("collection in_memory is read-only for clip-search: " + BECAUSE), error);
    assertTrue(error.contains("clip-search migrate --from in_memory"), error);
    assertFalse(r.headers().firstValue("Retry-After").isPresent(), "no retry changes a schema");
    assertEquals(List.of(), stored);

    assertEquals(200, app.post("/run/search", "{\"data\":[\"dog\",1]}").statusCode());
    HttpResponse<String> ready = app.get("/readyz");
    assertEquals(200, ready.statusCode(), ready.body());
  }

  @Test
  void theQueuedIngestFailsWithTheReasonAsItsGradioErrorEvent() throws Exception {
    String id = upload();
    app.post("/gradio_api/queue/join", "{\"data\":[{\"path\":\"" + id + "\"},\"\"],\"fn_index\":2,"
        + "\"session_hash\":\"ro\"}");
    List<JsonNode> frames = dataFrames(app.get("/gradio_api/queue/data?session_hash=ro").body());
    assertEquals(List.of("estimation", "process_starts", "process_completed", "close_stream"), msgs(frames));
    JsonNode done = frames.get(2);
    assertFalse(done.get("success").asBoolean());
    assertTrue(done.get("output").get("error").asText().startsWith("collection in_memory is read-only for "
        + "clip-search: " + BECAUSE), done.toString());
    assertFalse(done.toString().contains(ErrorMapping.STORE_DOWN), done.toString());
    String metrics = app.get("/metrics").body();
    assertTrue(metrics.contains("clipsearch_gradio_event_errors_total{status=\"409\"} 1.0"), metrics);
  }

  private String upload() throws Exception {
    HttpResponse<String> up = app.upload("/gradio_api/upload", "photo.png", "not decoded by the stand-in");
    assertEquals(200, up.statusCode(), up.body());
    return Fixtures.M.readTree(up.body()).get(0).asText();
  }
}
