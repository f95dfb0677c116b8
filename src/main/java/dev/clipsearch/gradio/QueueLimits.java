package dev.clipsearch.gradio;

import java.time.Duration;

/**
 * Bounds of the event queue; everything that could grow with client behaviour is capped here.
 *
 * @param workers threads running endpoint functions
 * @param bulkWorkers of those, how many may run bulk work (ingests) at once; the rest are kept for searches
 * @param maxQueuedEvents events waiting for a worker; one more is a 503 "Queue is full"
 * @param maxQueuedPerClient events of one client address waiting for a worker; one more is a 429
 * @param maxSessions live sessions (Python opens one per Client, JS one per connect)
 * @param maxPendingPerSession joined-but-undelivered events of one session
 * @param sessionTtl a session with no stream and no activity for this long is dropped with its events
 */
public record QueueLimits(int workers, int bulkWorkers, int maxQueuedEvents, int maxQueuedPerClient, int maxSessions,
    int maxPendingPerSession, Duration sessionTtl) {
  /** Events that may wait for a worker, at least (the server allows 4 per worker when that is more). */
  public static final int MIN_QUEUED_EVENTS = 256;
  public static final int MAX_SESSIONS = 10_000;
  public static final int MAX_PENDING_PER_SESSION = 64;
  public static final Duration SESSION_TTL = Duration.ofMinutes(30);

  public QueueLimits {
    if (workers < 1 || bulkWorkers < 1 || maxQueuedEvents < 1 || maxQueuedPerClient < 1 || maxSessions < 1
        || maxPendingPerSession < 1) {
      throw new IllegalArgumentException("queue limits must be positive");
    }
    if (sessionTtl.isNegative() || sessionTtl.isZero()) {
      throw new IllegalArgumentException("sessionTtl must be positive");
    }
  }
}
