package dev.clipsearch.web;

import static dev.clipsearch.web.Fixtures.keys;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The REST routes /call (POST + GET SSE) and /run, /api, compared with the 5.49.1 / 6.25.0 transcripts. */
class CallRoutesTest extends TestAppCase {
  String callEvent(String api, String body) throws Exception {
    HttpResponse<String> post = app.post("/gradio_api/call/" + api, body);
    assertEquals(200, post.statusCode(), post.body());
    JsonNode j = Fixtures.M.readTree(post.body());
    assertEquals(keys(Fixtures.json("5.49.1", "call_post.json")), keys(j));
    return j.get("event_id").asText();
  }

  @Test
  void callPostThenGetStreamsOneCompleteFrame() throws Exception {
    String id = callEvent("search", "{\"data\":[\"a white dog\",1]}");
    HttpResponse<String> get = app.get("/gradio_api/call/search/" + id);
    assertEquals(200, get.statusCode());
    assertTrue(get.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
    String golden = Fixtures.text("5.49.1", "call_get.raw");
    String body = get.body();
    assertTrue(body.startsWith("event: complete\ndata: ") && body.endsWith("\n\n") && body.split("\n").length == 2, body);
    JsonNode ours = Fixtures.M.readTree(body.substring("event: complete\ndata: ".length()));
    JsonNode theirs = Fixtures.M.readTree(golden.substring("event: complete\ndata: ".length()));
    assertEquals(keys(theirs.get(0).get(0)), keys(ours.get(0).get(0)));
    assertEquals(keys(theirs.get(0).get(0).get("image")), keys(ours.get(0).get(0).get("image")));
    assertEquals(1, ours.get(0).size());
    // An event is read once: the second GET has nothing to return.
    assertEquals(404, app.get("/gradio_api/call/search/" + id).statusCode());
  }

  @Test
  void callErrorIsAnErrorFrameWithTheMessage() throws Exception {
    String id = callEvent("search", "{\"data\":[\"\",1]}");
    String body = app.get("/call/search/" + id).body();
    assertEquals("event: error\ndata: {\"error\":\"Please enter a search query.\"}\n\n", body);
  }

  @Test
  void callPadsMissingInputsWithDefaults() throws Exception {
    String id = callEvent("search", "{\"data\":[\"dog\"]}");
    assertTrue(app.get("/gradio_api/call/search/" + id).body().startsWith("event: complete"));
    assertEquals(10, app.search.ks.get(0));
  }

  @Test
  void unknownApiOrEventIs404WithDetail() throws Exception {
    HttpResponse<String> r = app.post("/gradio_api/call/nosuch", "{\"data\":[]}");
    assertEquals(404, r.statusCode());
    assertTrue(Fixtures.M.readTree(r.body()).get("detail").asText().contains("/nosuch"));
    assertEquals(404, app.get("/gradio_api/call/search/ffff").statusCode());
    assertEquals(404, app.post("/gradio_api/run/nosuch", "{\"data\":[]}").statusCode());
  }

  @Test
  void runReturnsTheBareOutputObject() throws Exception {
    HttpResponse<String> r = app.post("/gradio_api/run/search", "{\"data\":[\"a white dog\",1]}");
    assertEquals(200, r.statusCode(), r.body());
    String golden = Fixtures.text("5.49.1", "run_post.raw");
    JsonNode theirs = Fixtures.M.readTree(golden.substring(golden.indexOf("\r\n\r\n") + 4));
    JsonNode ours = Fixtures.M.readTree(r.body());
    assertEquals(keys(theirs), keys(ours));
    assertEquals(1, ours.get("data").get(0).size());
  }

  @Test
  void runErrorUsesErrorMappingStatusAndGradioBody() throws Exception {
    HttpResponse<String> r = app.post("/gradio_api/api/search/", "{\"data\":[\"\",1]}");
    assertEquals(400, r.statusCode());
    String golden = Fixtures.text("5.49.1", "run_post_error.raw");
    assertEquals(keys(Fixtures.M.readTree(golden.substring(golden.indexOf("\r\n\r\n") + 4))), keys(Fixtures.M.readTree(r.body())));
    assertEquals("{\"error\":\"Please enter a search query.\"}", r.body());
    HttpResponse<String> store = app.post("/run/search", "{\"data\":[\"store down\",1]}");
    assertEquals(503, store.statusCode());
  }

  @Test
  void apiPredictWithFnIndexWins() throws Exception {
    HttpResponse<String> r = app.post("/api/predict", "{\"fn_index\":0,\"data\":[\"dog\",2]}");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(2, Fixtures.M.readTree(r.body()).get("data").get(0).size());
  }
}
