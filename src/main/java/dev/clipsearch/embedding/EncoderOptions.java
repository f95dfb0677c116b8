package dev.clipsearch.embedding;

import dev.clipsearch.batching.BatchPolicy;
import dev.clipsearch.model.image.DecoderChoice;

/**
 * Batching settings of the encoder: one policy per tower, the queue bound per tower, how many batches may be in
 * flight per tower (1 or 2, at most the model's staging slots), and the text vector cache size (0 = off).
 */
public record EncoderOptions(BatchPolicy text, BatchPolicy image, int queueCapacity, int batchesInFlight,
    int cacheEntries, DecoderChoice imageDecoder) {
  public EncoderOptions {
    java.util.Objects.requireNonNull(imageDecoder, "imageDecoder");
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("queue capacity must be >= 1, got " + queueCapacity);
    }
    if (batchesInFlight < 1 || batchesInFlight > 2) {
      throw new IllegalArgumentException("batches in flight must be 1 or 2, got " + batchesInFlight);
    }
    if (cacheEntries < 0) {
      throw new IllegalArgumentException("cache entries must be >= 0, got " + cacheEntries);
    }
  }
}
