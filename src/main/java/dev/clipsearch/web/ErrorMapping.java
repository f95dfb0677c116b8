package dev.clipsearch.web;

import dev.clipsearch.batching.OverloadedException;
import dev.clipsearch.gradio.GradioException;
import dev.clipsearch.model.image.BadImageException;
import dev.clipsearch.store.ReadOnlyCollectionException;
import dev.clipsearch.store.StoreException;
import dev.clipsearch.store.StoreRestartingException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that maps exceptions to HTTP statuses and to Gradio error messages. Routes throw; they never pick a
 * status themselves (docs/style.md, "Errors": two maps that disagree was the djl-serving bug). Three outputs of one
 * decision:
 * <ul>
 *   <li>{@link #register}: any exception escaping a route → status + {@code {"detail": ...}} (FastAPI's shape, which
 *       both clients parse: Python turns 503 into QueueError and 422 into ValidationError).
 *   <li>{@link #eventMessage}: the text of a failed queue event, shown to the user as Python's AppError / JS's error.
 *   <li>{@link #status}: the status of /run, whose body is Gradio's {@code {"error": message}}.
 * </ul>
 */
public final class ErrorMapping {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorMapping.class);
  static final String STORE_DOWN = "The image index is unavailable right now; please try again shortly.";
  static final String STORE_RESTARTING = "The vector store is restarting; please try again in a few seconds.";
  static final String BUSY = "The server is busy; please try again in a moment.";
  static final String INTERNAL = "Internal server error; the details are in the server log.";

  private ErrorMapping() {}

  public static int status(Throwable t) {
    if (t instanceof GradioException g) {
      return switch (g.kind()) {
        case BAD_REQUEST -> 400;
        case VALIDATION -> 422;
        case NOT_FOUND -> 404;
        case QUEUE_FULL -> 503;
        case FILE_NOT_ALLOWED -> 403;
        case TOO_LARGE -> 413;
        case TOO_MANY -> 429;
        case TIMEOUT -> 408;
      };
    }
    if (t instanceof Unauthorized) {
      return 401;
    }
    if (t instanceof BadImageException b) {
      return b.tooLarge() ? 413 : 400;
    }
    if (t instanceof HttpResponseException h) {
      return h.getStatus(); // Javalin's own, e.g. 413 for a JSON body over maxRequestSize
    }
    if (t instanceof ReadOnlyCollectionException) {
      // Before StoreException: the store is up and searching works; this collection's schema refuses new rows, a
      // state no retry changes (so no Retry-After), which is what 409 Conflict says.
      return 409;
    }
    if (t instanceof StoreException || t instanceof OverloadedException) {
      return 503;
    }
    if (t instanceof IllegalArgumentException) {
      return 400;
    }
    return 500;
  }

  /** The user-facing message; internal details (store addresses, stack traces) stay in the log. */
  public static String eventMessage(Throwable t) {
    if (t instanceof GradioException g) {
      return String.valueOf(g.detail());
    }
    if (t instanceof BadImageException || t instanceof IllegalArgumentException || t instanceof HttpResponseException
        || t instanceof Unauthorized) {
      return t.getMessage();
    }
    if (t instanceof OverloadedException) {
      LOG.info("busy: {}", t.getMessage()); // a full batcher queue or a model that did not answer in time
      return BUSY;
    }
    if (t instanceof ReadOnlyCollectionException) {
      LOG.info("refused: {}", t.getMessage());
      return t.getMessage(); // why, and what to do: the user can act on it, and it names no address
    }
    if (t instanceof StoreRestartingException) {
      LOG.info("store restarting: {}", t.getMessage());
      return STORE_RESTARTING;
    }
    if (t instanceof StoreException) {
      LOG.warn("store failure: {}", t.toString());
      return STORE_DOWN;
    }
    LOG.error("unexpected failure", t);
    return INTERNAL;
  }

  static void register(Javalin app) {
    app.exception(Exception.class, (e, ctx) -> respond(unwrap(e), ctx));
    // Unmatched routes answer like FastAPI ({"detail":"Not Found"}) instead of Javalin's plain text; our own 404s are
    // already JSON and are left alone.
    app.error(404, ctx -> {
      String type = ctx.res().getContentType();
      if (type == null || !type.startsWith("application/json")) {
        ctx.json(Map.of("detail", "Not Found"));
      }
    });
  }

  /** Writes the error response for {@code t}; also used by routes that fail after choosing their own body shape. */
  static void respond(Throwable t, Context ctx) {
    int status = status(t);
    // A GradioException's detail may be a list (422); everything else is the same text a failed event would show.
    Object detail = t instanceof GradioException g ? g.detail() : eventMessage(t);
    if (status == 503 || status == 429) {
      ctx.header("Retry-After", "1"); // queue full, store down or over a share: all worth a quick retry
    } else if (status == 401) {
      ctx.header("WWW-Authenticate", "Bearer");
    }
    ctx.status(status).json(Map.of("detail", detail));
  }

  /**
   * The same answer as {@link #respond} for a refusal made before Javalin sees the request ({@link WholeBodyFilter}),
   * with {@code Connection: close}: the rest of the request (an unread body, a slow client) is not worth reading.
   */
  static void respondAndClose(GradioException e, jakarta.servlet.http.HttpServletResponse res) throws java.io.IOException {
    int status = status(e);
    res.setStatus(status);
    res.setHeader("Connection", "close");
    if (status == 503 || status == 429) {
      res.setHeader("Retry-After", "1");
    }
    res.setContentType("application/json");
    byte[] body = dev.clipsearch.gradio.GradioJson.MAPPER.writeValueAsBytes(Map.of("detail", e.detail()));
    res.setContentLength(body.length);
    res.getOutputStream().write(body);
    res.flushBuffer(); // sent now: Jetty's end of the request would first wait for the body nobody reads
  }

  /** CompletableFuture and Jetty wrap the real cause. */
  static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof java.util.concurrent.CompletionException || c instanceof java.util.concurrent.ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }
}
