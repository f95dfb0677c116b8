package dev.clipsearch.store;

import java.time.Duration;

/**
 * A bounded retry schedule: {@code attempts} tries, waiting {@code first}, then twice as long each time, capped at
 * {@code max}. Used for connecting to a Milvus server at start and for restarting a dead Milvus Lite child: both must
 * give up eventually with a clear message rather than spin, and must not hammer a server that is coming back.
 *
 * @param attempts tries in all (the first one is immediate), at least 1
 * @param first the wait before the second try
 * @param max the longest single wait
 */
public record Backoff(int attempts, Duration first, Duration max) {
  public Backoff {
    if (attempts < 1 || first.isNegative() || max.compareTo(first) < 0) {
      throw new IllegalArgumentException("backoff needs attempts >= 1 and 0 <= first <= max");
    }
  }

  /** 5 tries over about 15 s (waits 1, 2, 4, 8 s): long enough for a server or container restart. */
  public static Backoff defaults() {
    return new Backoff(5, Duration.ofSeconds(1), Duration.ofSeconds(8));
  }

  /** The wait before try {@code n} (1-based); zero for the first. */
  public Duration delayBefore(int n) {
    if (n <= 1) {
      return Duration.ZERO;
    }
    long ms = first.toMillis() << Math.min(n - 2, 20);
    return Duration.ofMillis(Math.min(ms, max.toMillis()));
  }
}
