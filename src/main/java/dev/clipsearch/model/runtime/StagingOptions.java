package dev.clipsearch.model.runtime;

/**
 * Sizes of the host staging buffers, fixed at load: {@code slots} buffers per tower (2 = one batch computes while the
 * next is staged), each of the tower's max batch rows.
 */
public record StagingOptions(int maxBatchImage, int maxBatchText, int slots, ImageTransfer imageTransfer) {
  public StagingOptions {
    if (maxBatchImage < 1 || maxBatchImage > 4096 || maxBatchText < 1 || maxBatchText > 4096) {
      throw new IllegalArgumentException("max batch must be in 1..4096, got " + maxBatchImage + "/" + maxBatchText);
    }
    if (slots < 1 || slots > 2) {
      throw new IllegalArgumentException("staging slots must be 1 or 2, got " + slots);
    }
  }

  public static StagingOptions of(int maxBatch) {
    return new StagingOptions(maxBatch, maxBatch, 2, ImageTransfer.FLOAT32);
  }
}
