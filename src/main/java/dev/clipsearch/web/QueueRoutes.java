package dev.clipsearch.web;

import static dev.clipsearch.web.Http.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipsearch.gradio.EventQueue;
import dev.clipsearch.gradio.Requests;
import dev.clipsearch.gradio.SessionStreamer;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The queue protocol (sse_v3) used by both official clients and the Gradio UI: join, the per-session stream, cancel,
 * reset, queue status (docs/gradio-protocol.md, "Queue protocol"). Registered under every prefix in
 * {@link dev.clipsearch.gradio.Routes#PREFIXES}.
 */
final class QueueRoutes {
  private final EventQueue queue;
  private final SessionStreamer streamer;
  private final SseStreams streams;
  private final Shedding shed;

  QueueRoutes(EventQueue queue, SessionStreamer streamer, SseStreams streams, Shedding shed) {
    this.queue = queue;
    this.streamer = streamer;
    this.streams = streams;
    this.shed = shed;
  }

  void register(Javalin app, String p) {
    app.post(p + "/queue/join", this::join);
    app.get(p + "/queue/data", this::data);
    app.post(p + "/cancel", this::cancel);
    // reset is a no-op in Gradio 5/6; Python's cancel watcher and JS cancel() still post it.
    app.post(p + "/reset", ctx -> json(ctx, Map.of("success", true)));
    app.get(p + "/queue/status", this::status);
  }

  /** Query parameters (JS appends the page's query string) are ignored. */
  private void join(Context ctx) {
    Requests.Join j = Requests.join(Requests.parseJson(ctx.bodyAsBytes()));
    String id = shed.counted(() -> queue.join(j.sessionHash(), j.fnIndex(), j.data(), Http.root(ctx), ctx.ip(),
        LegacyClients.completionHold(ctx.userAgent())));
    json(ctx, Map.of("event_id", id));
  }

  private void data(Context ctx) {
    String hash = Requests.sessionHash(ctx.queryParam("session_hash"));
    streams.start(ctx, hash, sink -> streamer.streamQueue(hash, sink));
  }

  private void cancel(Context ctx) {
    JsonNode body = Requests.parseJson(ctx.bodyAsBytes());
    Requests.eventId(body).ifPresent(queue::cancel);
    json(ctx, Map.of("success", true));
  }

  private void status(Context ctx) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("msg", "estimation");
    m.put("event_id", null);
    m.put("rank", null);
    m.put("queue_size", queue.queuedCount());
    m.put("rank_eta", null);
    json(ctx, m);
  }
}
