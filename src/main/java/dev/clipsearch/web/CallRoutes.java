package dev.clipsearch.web;

import static dev.clipsearch.web.Http.json;

import dev.clipsearch.gradio.Dependency;
import dev.clipsearch.gradio.Event;
import dev.clipsearch.gradio.EventOutput;
import dev.clipsearch.gradio.EventQueue;
import dev.clipsearch.gradio.GradioException;
import dev.clipsearch.gradio.Requests;
import dev.clipsearch.gradio.Session;
import dev.clipsearch.gradio.SessionStreamer;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.Map;

/**
 * The REST routes: {@code /call/{api}} (POST → event_id, GET → SSE with {@code event:} frames) and the direct
 * {@code /run/{api}} and {@code /api/{api}} (docs/gradio-protocol.md, "/call, /run and /api"). Both reuse the event
 * queue, so they share its worker pool and bounds.
 */
final class CallRoutes {
  private final EventQueue queue;
  private final SessionStreamer streamer;
  private final SseStreams streams;
  private final Shedding shed;

  CallRoutes(EventQueue queue, SessionStreamer streamer, SseStreams streams, Shedding shed) {
    this.queue = queue;
    this.streamer = streamer;
    this.streams = streams;
    this.shed = shed;
  }

  void register(Javalin app, String p) {
    app.post(p + "/call/{api}", this::callPost);
    app.get(p + "/call/{api}/{event_id}", this::callGet);
    app.post(p + "/run/{api}", this::run);
    app.post(p + "/api/{api}", this::run);
  }

  private void callPost(Context ctx) {
    Requests.Predict body = Requests.predict(Requests.parseJson(ctx.bodyAsBytes()));
    json(ctx, Map.of("event_id", shed.counted(() -> queue.call(ctx.pathParam("api"), body.data(), Http.root(ctx),
        ctx.ip()))));
  }

  /** Unknown api or event → 404 before the stream starts (real Gradio answers a bare 500 here). */
  private void callGet(Context ctx) {
    queue.endpoint(ctx.pathParam("api"));
    String id = ctx.pathParam("event_id");
    Session s = queue.callSession(id)
        .orElseThrow(() -> new GradioException(GradioException.Kind.NOT_FOUND, "Unknown event_id " + id + " (events can be read once)."));
    streams.start(ctx, null, sink -> streamer.streamCall(s, sink));
  }

  /**
   * The bare output object, or {@code {"error": message}} with ErrorMapping's status (Gradio always uses 500 there; a
   * 400 for bad input is what a REST caller can act on). The HTTP thread is released while the worker runs.
   */
  private void run(Context ctx) {
    Requests.Predict body = Requests.predict(Requests.parseJson(ctx.bodyAsBytes()));
    Dependency d = body.fnIndex()
        .map(i -> queue.blocks().byFnIndex(i)
            .orElseThrow(() -> new GradioException(GradioException.Kind.NOT_FOUND, "Unknown fn_index " + i + ".")))
        .orElseGet(() -> queue.endpoint(ctx.pathParam("api")));
    Event e = shed.counted(() -> queue.run(d, body.data(), Http.root(ctx), ctx.ip()));
    ctx.future(() -> e.outcome().thenAccept(o -> {
      EventOutput out = o.message().output();
      if (out instanceof EventOutput.Cancelled) {
        // Only shutdown cancels a /run event (its id is never handed out).
        throw new GradioException(GradioException.Kind.QUEUE_FULL, "Cancelled: the server is stopping.");
      }
      ctx.status(o.cause().map(ErrorMapping::status).orElse(200));
      json(ctx, out);
    }));
  }
}
