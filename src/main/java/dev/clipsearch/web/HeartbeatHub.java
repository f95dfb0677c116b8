package dev.clipsearch.web;

import dev.clipsearch.concurrent.Threads;
import dev.clipsearch.gradio.SseFrames;
import dev.clipsearch.gradio.SseSink;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * GET {p}/heartbeat/{session_hash}: holds the connection open and writes {@code data: ALIVE} at once and then every
 * interval. The route must exist: gradio_client opens it for every Client and re-requests a 404 in a tight loop (~30/s;
 * docs/gradio-protocol.md, "Heartbeat"). Its read timeout is 20 s, hence the interval below that.
 *
 * <p>Every Python client holds one of these for its whole life, so they do not get a thread each: one scheduler thread
 * writes all of them (13 bytes each, which fit in the socket buffer, so writes do not block in practice). A failed
 * write means the client left; its async response is then completed. Only the hub thread writes to these responses.
 */
final class HeartbeatHub implements AutoCloseable {
  private final Map<SseSink, CompletableFuture<Void>> open = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer;
  private final int max;
  private final StreamQuota quota;

  /** @param quota each client's and session's share: heartbeats count with the event streams */
  HeartbeatHub(Duration interval, int max, StreamQuota quota) {
    this.max = max;
    this.quota = quota;
    timer = Executors.newSingleThreadScheduledExecutor(Threads.named("gradio-heartbeat"));
    long ms = interval.toMillis();
    timer.scheduleAtFixedRate(this::beatAll, ms, ms, TimeUnit.MILLISECONDS);
  }

  void handle(Context ctx) throws IOException {
    StreamQuota.Ticket ticket = quota.open(ctx.ip(), ctx.pathParam("session_hash")); // 429 before any byte
    SseStreams.headers(ctx.res());
    SseSink sink = SseStreams.sink(ctx.res());
    ctx.future(() -> {
      CompletableFuture<Void> done = new CompletableFuture<>();
      done.whenComplete((v, t) -> ticket.close());
      if (open.size() >= max) {
        done.complete(null); // over the cap: answer one ALIVE-less 200 and let the client retry later
        return done;
      }
      open.put(sink, done);
      // Javalin cancels the future when the async request errors (client reset): forget the sink then too.
      done.whenComplete((v, t) -> open.remove(sink));
      timer.execute(() -> beat(sink, done));
      return done;
    });
  }

  private void beatAll() {
    open.forEach(this::beat);
  }

  private void beat(SseSink sink, CompletableFuture<Void> done) {
    try {
      sink.send(SseFrames.ALIVE);
    } catch (IOException | RuntimeException gone) {
      open.remove(sink);
      done.complete(null);
    }
  }

  int size() {
    return open.size();
  }

  @Override
  public void close() {
    timer.shutdownNow();
    open.values().forEach(f -> f.complete(null));
    open.clear();
  }
}
