package dev.clipsearch.web;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * Gradio's CORS policy (CustomCORSMiddleware; docs/gradio-protocol.md, "CORS"): echo the request Origin with
 * credentials allowed, except that a server addressed as localhost does not grant a non-localhost origin (a page on the
 * web must not drive a model on the user's machine, gradio PR #7503). Browsers preflight POST queue/join (content-type,
 * x-gradio-user) and even GET queue/data (fetch-event-stream adds a Content-Type header), so OPTIONS is answered for
 * every path.
 *
 * <p>With an allow-list ({@code serve --cors-origin}), only the listed origins are granted, whatever the Host; a
 * deployment behind a proxy knows which pages may call it, and echoing every origin with credentials is too generous.
 */
final class Cors {
  private static final Set<String> LOCAL = Set.of("localhost", "127.0.0.1", "::1", "[::1]", "0.0.0.0");

  private Cors() {}

  static void register(Javalin app, Set<String> allowList) {
    app.before(ctx -> {
      String origin = ctx.header("Origin");
      if (origin == null) {
        return;
      }
      ctx.header("Access-Control-Allow-Credentials", "true");
      if (allowList.isEmpty() ? allowed(origin, ctx.header("Host")) : allowList.contains(normalise(origin))) {
        ctx.header("Access-Control-Allow-Origin", origin);
        ctx.header("Vary", "Origin");
      }
      if (ctx.method() == HandlerType.OPTIONS && ctx.header("Access-Control-Request-Method") != null) {
        preflight(ctx);
      }
    });
    app.options("/<path>", ctx -> {}); // the before-handler answers; this only stops the 404
  }

  private static void preflight(Context ctx) {
    ctx.header("Access-Control-Allow-Methods", "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT");
    ctx.header("Access-Control-Max-Age", "600");
    String requested = ctx.header("Access-Control-Request-Headers");
    if (requested != null) {
      ctx.header("Access-Control-Allow-Headers", requested);
    }
    ctx.status(200).contentType("text/plain; charset=utf-8").result("OK");
  }

  static boolean allowed(String origin, String host) {
    return !(isLocal(hostOf("http://" + host)) && !isLocal(hostOf(origin)));
  }

  /** An origin as browsers send it, compared case-insensitively and without a trailing slash. */
  static String normalise(String origin) {
    String o = origin.strip().toLowerCase(Locale.ROOT);
    return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
  }

  private static String hostOf(String url) {
    try {
      String h = URI.create(url).getHost();
      return h == null ? "" : h;
    } catch (IllegalArgumentException e) {
      return "";
    }
  }

  private static boolean isLocal(String host) {
    return LOCAL.contains(host);
  }
}
