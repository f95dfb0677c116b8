package dev.clipsearch.batching;

/** The batcher's queue is full: the caller should retry later (HTTP 503 with Retry-After). */
public class OverloadedException extends RuntimeException {
  public OverloadedException(String message) {
    super(message);
  }
}
