package dev.clipsearch.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.clipsearch.gradio.GradioJson;
import dev.clipsearch.gradio.RootUrl;
import io.javalin.http.Context;

/** Small helpers shared by the route classes. */
final class Http {
  private Http() {}

  /** Compact JSON with nulls kept, through the protocol's own mapper (not Javalin's), so every route writes the same. */
  static void json(Context ctx, Object body) {
    try {
      ctx.contentType("application/json").result(GradioJson.MAPPER.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode response", e);
    }
  }

  /** This request's public root (forwarded headers first), see {@link RootUrl}. */
  static String root(Context ctx) {
    return RootUrl.of(ctx.header("X-Forwarded-Proto"), ctx.header("X-Forwarded-Host"), ctx.header("Host"),
        ctx.scheme(), "127.0.0.1:" + ctx.port());
  }
}
