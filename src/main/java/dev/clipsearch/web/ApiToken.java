package dev.clipsearch.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipsearch.gradio.Requests;
import dev.clipsearch.gradio.Routes;
import dev.clipsearch.gradio.SearchAppBlocks;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Optional shared-secret access control. With a token configured, uploads and ingest (the two ways to write to the
 * server) need {@code Authorization: Bearer <token>} or {@code X-Api-Token: <token>}; with {@code everything} set, so
 * does every route except /healthz and /readyz (probes carry no secrets). Searches stay open by default so that
 * unmodified Gradio clients keep working; image search needs an upload, so it needs the token.
 *
 * <p>Ingest is reachable four ways (queue/join with fn_index, /call/ingest, /run/ingest, /run/predict with fn_index):
 * all are checked here, before the queue sees the request, so no worker runs for a refused caller.
 *
 * @param token the secret, or empty for no access control
 * @param everything require it on every route, not only on writes
 */
public record ApiToken(Optional<String> token, boolean everything) {
  public ApiToken {
    if (token.isPresent() && token.get().strip().length() < 8) {
      throw new IllegalArgumentException("the API token must have at least 8 characters");
    }
  }

  public static ApiToken none() {
    return new ApiToken(Optional.empty(), false);
  }

  void register(Javalin app) {
    if (token.isEmpty()) {
      return;
    }
    app.before(ctx -> {
      if (needsToken(ctx) && !presented(ctx)) {
        throw new Unauthorized(ctx.header("Authorization") == null && ctx.header("X-Api-Token") == null
            ? "This server requires an API token for this request: send 'Authorization: Bearer <token>'."
            : "Invalid API token.");
      }
    });
  }

  private boolean needsToken(Context ctx) {
    String path = ctx.path();
    if (path.equals("/healthz") || path.equals("/readyz") || ctx.method().name().equals("OPTIONS")) {
      return false; // probes, and CORS preflights (browsers never send credentials on them)
    }
    if (everything) {
      return true;
    }
    String rest = stripPrefix(path);
    if (rest.equals("/upload")) {
      return true;
    }
    if (rest.startsWith("/call/") || rest.startsWith("/run/") || rest.startsWith("/api/")) {
      String api = rest.substring(rest.indexOf('/', 1) + 1);
      int slash = api.indexOf('/');
      if ((slash < 0 ? api : api.substring(0, slash)).equals("ingest")) {
        return true;
      }
    }
    if (ctx.method().name().equals("POST")
        && (rest.equals("/queue/join") || rest.startsWith("/run/") || rest.startsWith("/api/"))) {
      return fnIndex(ctx) == SearchAppBlocks.FN_INGEST;
    }
    return false;
  }

  /** The fn_index of a JSON body, or -1 (a malformed body is left for the route to refuse with its own message). */
  private static int fnIndex(Context ctx) {
    try {
      JsonNode n = Requests.parseJson(ctx.bodyAsBytes()).get("fn_index");
      return n != null && n.canConvertToInt() ? n.asInt() : -1;
    } catch (RuntimeException e) {
      return -1;
    }
  }

  private static String stripPrefix(String path) {
    for (String p : Routes.PREFIXES) {
      if (!p.isEmpty() && path.startsWith(p + "/")) {
        return path.substring(p.length());
      }
    }
    return path;
  }

  private boolean presented(Context ctx) {
    String auth = ctx.header("Authorization");
    String given = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).strip()
        : ctx.header("X-Api-Token");
    // Constant-time comparison: the time taken must not tell an attacker how many leading characters were right.
    return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
        token.get().getBytes(StandardCharsets.UTF_8));
  }
}
