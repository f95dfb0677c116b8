package dev.clipsearch.web;

import dev.clipsearch.gradio.QueueLimits;
import java.time.Duration;

/**
 * Every bound of the HTTP layer, in one record the composition root fills from the settings ({@code App.webLimits}).
 *
 * @param queue worker pool, queue and session bounds (see {@link QueueLimits})
 * @param maxStreams concurrently open queue/data and call streams; each holds one streaming thread (Java 17: no
 *     virtual threads), one more is a 503
 * @param maxUploadBytes per uploaded file; larger is 413 (also reported as config.max_file_size)
 * @param heartbeat idle interval of every SSE stream; must stay below gradio_client's 20 s read timeout
 * @param uploadQuotaBytes total size of the uploads folder; an upload past it is 413 (see {@link UploadSpace})
 * @param uploadTtl uploads older than this that were not ingested are deleted
 */
public record WebLimits(QueueLimits queue, int maxStreams, long maxUploadBytes, Duration heartbeat,
    long uploadQuotaBytes, Duration uploadTtl) {
  /** Streams open at once: far above what the request workers can feed, a bound against leaked connections. */
  public static final int MAX_STREAMS = 512;
  /** Below gradio_client's 20 s read timeout, with room for a slow network. */
  public static final Duration HEARTBEAT = Duration.ofSeconds(15);

  public WebLimits {
    if (maxStreams < 1 || maxUploadBytes < 1 || uploadQuotaBytes < maxUploadBytes) {
      throw new IllegalArgumentException("web limits must be positive, and the upload quota at least one upload");
    }
    if (uploadTtl.toMinutes() < 1) {
      throw new IllegalArgumentException("upload TTL must be at least a minute");
    }
    if (heartbeat.isZero() || heartbeat.isNegative() || heartbeat.compareTo(Duration.ofSeconds(19)) > 0) {
      throw new IllegalArgumentException("heartbeat must be in (0, 19s]");
    }
  }
}
