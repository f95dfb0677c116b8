package dev.clipsearch.web;

import dev.clipsearch.ingest.IngestProgress;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The operations side of the server, filled by the composition root: readiness checks for /readyz, the optional API
 * token, and the metrics registry behind /metrics (which the root also hands to the store and the batchers).
 *
 * @param readiness named checks; see {@link Readiness}
 * @param token access control; {@link ApiToken#none()} for an open server
 * @param metrics the registry; the web server records requests, queue and event errors into it
 * @param corsOrigins origins granted by CORS; empty = Gradio's policy (echo the origin, localhost guard)
 * @param ingest where the background folder ingest stands ({@code serve --images}), empty when there is none
 */
public record WebOps(Map<String, Callable<?>> readiness, ApiToken token, Metrics metrics, Set<String> corsOrigins,
    Supplier<Optional<IngestProgress>> ingest) {
  /** No background ingest. */
  public WebOps(Map<String, Callable<?>> readiness, ApiToken token, Metrics metrics, Set<String> corsOrigins) {
    this(readiness, token, metrics, corsOrigins, Optional::empty);
  }

  public WebOps {
    corsOrigins = corsOrigins.stream().map(Cors::normalise).collect(java.util.stream.Collectors.toUnmodifiableSet());
  }

  /** A readiness check must answer within this: a probe that hangs is worse than one that says "no". */
  public static final Duration CHECK_TIMEOUT = Duration.ofSeconds(1);
}
