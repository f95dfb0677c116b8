package dev.clipsearch.web;

import java.time.Duration;

/**
 * The bounds on connections and streams, from the settings ({@code App.webLimits}); see {@link ConnectionGuard},
 * {@link WholeBodyFilter} and {@link StreamQuota} for what enforces each.
 *
 * @param maxConnections open connections in all; Jetty stops accepting at this many ({@code ConnectionLimit})
 * @param perClient open connections from one client address; the next one is answered 429 and closed
 * @param idleTimeout a connection with no bytes in or out for this long is closed (SSE streams write a heartbeat
 *     well within it)
 * @param headerTimeout a request's headers must arrive within this once its first byte has
 * @param bodyTimeout a request's body must arrive within this once its headers have (408 otherwise)
 * @param streamsPerClient open SSE and heartbeat streams from one client address; one more is 429
 * @param streamsPerSession open SSE and heartbeat streams of one session hash; one more is 429
 */
public record ConnectionLimits(int maxConnections, int perClient, Duration idleTimeout, Duration headerTimeout,
    Duration bodyTimeout, int streamsPerClient, int streamsPerSession) {
  public ConnectionLimits {
    if (maxConnections < 1 || perClient < 1 || streamsPerClient < 1 || streamsPerSession < 1) {
      throw new IllegalArgumentException("connection and stream limits must be positive");
    }
    for (Duration d : new Duration[] {idleTimeout, headerTimeout, bodyTimeout}) {
      if (d.toMillis() < 100) {
        throw new IllegalArgumentException("connection timeouts must be at least 100 ms, got " + d);
      }
    }
  }
}
