package dev.clipsearch.batching;

/**
 * When to send a batch: as soon as it is full, or once its oldest job has waited {@code maxDelayNanos}.
 * The deadline runs from the oldest job's arrival (Triton's max_queue_delay semantics), not from when the worker
 * woke up, so a job never waits longer than the configured delay for company. Pure; tested with a fake clock.
 */
public record BatchPolicy(int maxBatch, long maxDelayNanos) {
  public BatchPolicy {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("max batch must be >= 1, got " + maxBatch);
    }
    if (maxDelayNanos < 0) {
      throw new IllegalArgumentException("max delay must be >= 0, got " + maxDelayNanos);
    }
  }

  /** @return 0 to send now, else how long to wait for more jobs */
  public long waitNanos(int queued, long oldestAgeNanos) {
    if (queued >= maxBatch) {
      return 0;
    }
    return Math.max(0, maxDelayNanos - oldestAgeNanos);
  }
}
