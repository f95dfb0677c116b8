package dev.clipsearch.web;

import static dev.clipsearch.web.Http.json;

import dev.clipsearch.gradio.ConfigBuilder;
import dev.clipsearch.gradio.EventQueue;
import dev.clipsearch.gradio.InfoBuilder;
import io.javalin.Javalin;
import java.util.LinkedHashMap;
import java.util.Map;

/** Discovery and housekeeping routes: /config, {p}/info, {p}/app_id, {p}/heartbeat/{s}, /health. */
final class AppRoutes {
  private final ConfigBuilder config;
  private final InfoBuilder info;
  private final long appId;
  private final HeartbeatHub heartbeats;

  AppRoutes(ConfigBuilder config, InfoBuilder info, long appId, HeartbeatHub heartbeats) {
    this.config = config;
    this.info = info;
    this.appId = appId;
    this.heartbeats = heartbeats;
  }

  /** /config is root-only: real 5.x/6.x answer /gradio_api/config with 404. */
  void registerRoot(Javalin app, EventQueue queue, SseStreams streams) {
    app.get("/config", ctx -> json(ctx, config.build(Http.root(ctx))));
    app.get("/health", ctx -> {
      Map<String, Object> h = new LinkedHashMap<>();
      h.put("status", "ok");
      h.put("sessions", queue.sessionCount());
      h.put("queued", queue.queuedCount());
      h.put("running", queue.runningCount());
      h.put("streams", streams.open());
      h.put("heartbeats", heartbeats.size());
      json(ctx, h);
    });
  }

  void register(Javalin app, String p) {
    // Query strings (serialize=False, all_endpoints=True) are ignored, as real 5.x/6.x do.
    app.get(p + "/info", ctx -> json(ctx, info.build()));
    app.get(p + "/app_id", ctx -> json(ctx, Map.of("app_id", appId)));
    app.get(p + "/heartbeat/{session_hash}", heartbeats::handle);
  }
}
