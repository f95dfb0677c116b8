package dev.clipsearch.web;

import dev.clipsearch.gradio.QueueLimits;
import java.time.Duration;

/**
 * Every bound of the HTTP layer, in one record the composition root fills from the settings ({@code App.webLimits}).
 *
 * @param queue worker pool, queue and session bounds (see {@link QueueLimits})
 * @param maxStreams concurrently open queue/data and call streams; each holds one streaming thread (Java 17: no
 *     virtual threads), one more is a 503
 * @param heartbeat idle interval of every SSE stream; must stay below gradio_client's 20 s read timeout
 * @param connections per-connection and per-client bounds (see {@link ConnectionLimits})
 * @param uploads upload size, upload space and the on-disk caches (see {@link UploadLimits})
 */
public record WebLimits(QueueLimits queue, int maxStreams, Duration heartbeat, ConnectionLimits connections,
    UploadLimits uploads) {
  /** Streams open at once: far above what the request workers can feed, a bound against leaked connections. */
  public static final int MAX_STREAMS = 512;
  /** Below gradio_client's 20 s read timeout, with room for a slow network. */
  public static final Duration HEARTBEAT = Duration.ofSeconds(15);

  public WebLimits {
    if (maxStreams < 1) {
      throw new IllegalArgumentException("maxStreams must be positive");
    }
    if (heartbeat.isZero() || heartbeat.isNegative() || heartbeat.compareTo(Duration.ofSeconds(19)) > 0) {
      throw new IllegalArgumentException("heartbeat must be in (0, 19s]");
    }
    if (connections.idleTimeout().compareTo(heartbeat) <= 0) {
      throw new IllegalArgumentException("the idle timeout must be longer than the heartbeat, or streams are cut");
    }
  }

  public long maxUploadBytes() {
    return uploads.maxUploadBytes();
  }
}
