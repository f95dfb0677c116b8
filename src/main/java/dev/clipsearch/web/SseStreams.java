package dev.clipsearch.web;

import dev.clipsearch.concurrent.Threads;
import dev.clipsearch.gradio.GradioException;
import dev.clipsearch.gradio.SseSink;
import io.javalin.http.Context;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs SSE response bodies on a bounded pool of streaming threads, writing raw frames to the servlet output stream.
 *
 * <p>Why not Javalin's {@code ctx.sse}/{@code SseClient}: its {@code sendEvent} always writes an {@code event:} line,
 * which makes gradio_client raise "Unexpected SSE line" (docs/gradio-protocol.md, "SSE framing"). Why not the Jetty
 * request thread: a stream lives as long as its event, and request threads must stay free for joins. Why the raw
 * servlet stream rather than {@code ctx.outputStream()}: the latter may gzip, and a compressed SSE stream is buffered
 * until it closes.
 *
 * <p>Threading: the request thread sets the headers and hands the body to a {@code gradio-stream-*} thread through
 * {@code ctx.future} (Javalin starts async mode before invoking the supplier, so the request thread returns at once).
 * Only that streaming thread writes to the response. A full pool is a 503 before anything is written, and a client
 * or session over its share of streams ({@link StreamQuota}) a 429.
 */
final class SseStreams implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SseStreams.class);
  static final String CONTENT_TYPE = "text/event-stream; charset=utf-8";

  /** A stream body; returns when the stream is over. IOException = client gone (not logged as an error). */
  @FunctionalInterface
  interface Body {
    void run(SseSink sink) throws IOException, InterruptedException;
  }

  private final ThreadPoolExecutor pool;
  private final StreamQuota quota;
  private final Shedding shed;

  SseStreams(int maxStreams, StreamQuota quota, Shedding shed) {
    pool = new ThreadPoolExecutor(0, maxStreams, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
        Threads.numbered("gradio-stream-"));
    this.quota = quota;
    this.shed = shed;
  }

  static void headers(HttpServletResponse res) {
    res.setStatus(200);
    res.setHeader("Content-Type", CONTENT_TYPE);
    res.setHeader("Cache-Control", "no-cache");
    res.setHeader("X-Accel-Buffering", "no"); // nginx would otherwise buffer the whole stream
  }

  static SseSink sink(HttpServletResponse res) throws IOException {
    ServletOutputStream out = res.getOutputStream();
    return frame -> {
      out.write(frame);
      out.flush();
    };
  }

  /** @param session the session the stream belongs to (its share is counted), or null for a /call event's stream */
  void start(Context ctx, String session, Body body) {
    StreamQuota.Ticket ticket = quota.open(ctx.ip(), session); // 429 before anything is written
    HttpServletResponse res = ctx.res();
    headers(res);
    ctx.future(() -> {
      CompletableFuture<Void> done = new CompletableFuture<>();
      try {
        pool.execute(() -> {
          try {
            body.run(sink(res));
          } catch (IOException gone) {
            LOG.debug("stream client gone: {}", gone.toString());
          } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
          } catch (RuntimeException | Error bug) {
            LOG.error("stream failed", bug);
          } finally {
            ticket.close();
            done.complete(null); // ends the response
          }
        });
      } catch (RejectedExecutionException full) {
        ticket.close();
        shed.count(Shedding.Reason.STREAMS_FULL);
        done.completeExceptionally(new GradioException(GradioException.Kind.QUEUE_FULL, "Too many open streams; try again shortly."));
      }
      return done;
    });
  }

  int open() {
    return pool.getActiveCount();
  }

  @Override
  public void close() {
    pool.shutdownNow(); // interrupts polling streams; each ends its response
  }
}
