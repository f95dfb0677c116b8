package dev.clipsearch.web;

import dev.clipsearch.gradio.GradioException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts the open SSE and heartbeat streams per client address and per session hash, so that one client cannot hold
 * the server's streams (each queue stream holds a thread; heartbeats share one, but their count is bounded too).
 * {@link #open} takes a place or refuses with 429 before anything is written; the returned ticket gives it back when
 * the stream ends. Thread-safe.
 */
final class StreamQuota {
  /** A taken place; {@link #close} gives it back, once. */
  interface Ticket extends AutoCloseable {
    @Override
    void close();
  }

  private final int perClient;
  private final int perSession;
  private final Shedding shed;
  private final Map<String, Integer> byClient = new ConcurrentHashMap<>();
  private final Map<String, Integer> bySession = new ConcurrentHashMap<>();

  StreamQuota(int perClient, int perSession, Shedding shed) {
    this.perClient = perClient;
    this.perSession = perSession;
    this.shed = shed;
  }

  /**
   * @param session the session hash, or null for a stream that belongs to no session (a /call event's)
   * @throws GradioException TOO_MANY when the client or the session already has its cap of streams open
   */
  Ticket open(String client, String session) {
    if (!take(byClient, client, perClient)) {
      shed.count(Shedding.Reason.STREAMS_PER_CLIENT);
      throw new GradioException(GradioException.Kind.TOO_MANY,
          "Too many open streams from your address (the limit is " + perClient + "); close some and retry.");
    }
    if (session != null && !take(bySession, session, perSession)) {
      give(byClient, client);
      shed.count(Shedding.Reason.STREAMS_PER_SESSION);
      throw new GradioException(GradioException.Kind.TOO_MANY,
          "Too many open streams for this session (the limit is " + perSession + ").");
    }
    java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    return () -> {
      if (closed.compareAndSet(false, true)) {
        give(byClient, client);
        if (session != null) {
          give(bySession, session);
        }
      }
    };
  }

  int openFor(String client) {
    return byClient.getOrDefault(client, 0);
  }

  private static boolean take(Map<String, Integer> counts, String key, int cap) {
    boolean[] taken = {false};
    counts.compute(key, (k, n) -> {
      int now = n == null ? 0 : n;
      if (now >= cap) {
        return n;
      }
      taken[0] = true;
      return now + 1;
    });
    return taken[0];
  }

  private static void give(Map<String, Integer> counts, String key) {
    counts.computeIfPresent(key, (k, n) -> n > 1 ? n - 1 : null);
  }
}
