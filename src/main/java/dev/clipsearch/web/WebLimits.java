package dev.clipsearch.web;

import dev.clipsearch.gradio.QueueLimits;
import java.time.Duration;

/**
 * Every bound of the HTTP layer, in one record so the composition root can fill it from configuration.
 *
 * @param queue worker pool, queue and session bounds (see {@link QueueLimits})
 * @param maxStreams concurrently open queue/data and call streams; each holds one streaming thread (Java 17: no
 *     virtual threads), one more is a 503
 * @param maxUploadBytes per uploaded file; larger is 413 (also reported as config.max_file_size)
 * @param maxQueryChars longer queries fail the event with a clear message (CLIP reads 77 tokens anyway)
 * @param heartbeat idle interval of every SSE stream; must stay below gradio_client's 20 s read timeout
 * @param uploadQuotaBytes total size of the uploads folder; an upload past it is 413 (see {@link UploadSpace})
 * @param uploadTtl uploads older than this that were not ingested are deleted
 */
public record WebLimits(QueueLimits queue, int maxStreams, long maxUploadBytes, int maxQueryChars, Duration heartbeat,
    long uploadQuotaBytes, Duration uploadTtl) {
  public WebLimits {
    if (maxStreams < 1 || maxUploadBytes < 1 || maxQueryChars < 1 || uploadQuotaBytes < maxUploadBytes) {
      throw new IllegalArgumentException("web limits must be positive, and the upload quota at least one upload");
    }
    if (uploadTtl.toMinutes() < 1) {
      throw new IllegalArgumentException("upload TTL must be at least a minute");
    }
    if (heartbeat.isZero() || heartbeat.isNegative() || heartbeat.compareTo(Duration.ofSeconds(19)) > 0) {
      throw new IllegalArgumentException("heartbeat must be in (0, 19s]");
    }
  }

  public static WebLimits defaults() {
    return new WebLimits(QueueLimits.defaults(), 512, 20L * 1024 * 1024, 1000, Duration.ofSeconds(15), 2048L << 20,
        Duration.ofHours(24));
  }

  public WebLimits withHeartbeat(Duration d) {
    return new WebLimits(queue, maxStreams, maxUploadBytes, maxQueryChars, d, uploadQuotaBytes, uploadTtl);
  }

  public WebLimits withQueue(QueueLimits q) {
    return new WebLimits(q, maxStreams, maxUploadBytes, maxQueryChars, heartbeat, uploadQuotaBytes, uploadTtl);
  }

  public WebLimits withMaxUploadBytes(long bytes) {
    return new WebLimits(queue, maxStreams, bytes, maxQueryChars, heartbeat, Math.max(uploadQuotaBytes, bytes),
        uploadTtl);
  }

  public WebLimits withUploadSpace(long quotaBytes, Duration ttl) {
    return new WebLimits(queue, maxStreams, maxUploadBytes, maxQueryChars, heartbeat, quotaBytes, ttl);
  }
}
