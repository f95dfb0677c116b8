package dev.clipsearch.batching;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Metrics of one batcher (one tower): batch-size distribution, queue wait per item (enqueue to compute start),
 * compute time per batch, and the rejected/failed/skipped counts. The ops layer reads {@link #snapshot()}; the
 * encoder logs {@link Snapshot#summary()} once a minute and at shutdown.
 *
 * <p>Threading: written by the batcher's threads and {@code submit} callers, read from anywhere; all counters are
 * atomic, so a snapshot is a consistent-enough view without locks.
 */
public final class BatchStats {
  final LongAdder batches = new LongAdder();
  final LongAdder items = new LongAdder();
  final LongAdder rejected = new LongAdder();
  final LongAdder failed = new LongAdder();
  final LongAdder skipped = new LongAdder();
  final LatencyHistogram queueWait = new LatencyHistogram();
  final LatencyHistogram compute = new LatencyHistogram();
  private final AtomicLongArray sizes;

  BatchStats(int maxBatch) {
    this.sizes = new AtomicLongArray(maxBatch + 1);
  }

  void recordBatch(int size, long computeNanos) {
    batches.increment();
    items.add(size);
    sizes.incrementAndGet(Math.min(size, sizes.length() - 1));
    compute.record(computeNanos);
  }

  /**
   * @param batchSizes {@code batchSizes[n]} = how many batches had n items (index 0 unused)
   * @param skipped jobs dropped because their caller had given up (cancelled or timed out) before compute
   * @param queueWait per item, from submit to the start of its batch's compute
   * @param compute per batch, the model call including staging views and copying results out
   */
  public record Snapshot(String name, long batches, long items, long rejected, long failed, long skipped,
      long[] batchSizes, LatencyHistogram.Snapshot queueWait, LatencyHistogram.Snapshot compute) {
    public double meanBatch() {
      return batches == 0 ? 0 : (double) items / batches;
    }

    public double meanQueueWaitMillis() {
      return queueWait.meanMillis();
    }

    public double meanComputeMillis() {
      return compute.meanMillis();
    }

    /** One log line: counts, mean batch, size distribution in power-of-two ranges, wait and compute. */
    public String summary() {
      return String.format(Locale.ROOT,
          "%s: %d items in %d batches (mean %.1f, sizes %s), rejected %d, failed %d, skipped %d; "
              + "queue wait ms mean %.2f p50<=%.2f p99<=%.2f max %.2f; compute ms mean %.2f p99<=%.2f max %.2f",
          name, items, batches, meanBatch(), sizeRanges(), rejected, failed, skipped, queueWait.meanMillis(),
          queueWait.p50Millis(), queueWait.p99Millis(), queueWait.maxMillis(), compute.meanMillis(),
          compute.p99Millis(), compute.maxMillis());
    }

    /** e.g. {@code [1:12 2-3:3 4-7:8 16-31:40]}: non-empty power-of-two ranges only. */
    String sizeRanges() {
      StringBuilder s = new StringBuilder("[");
      for (int lo = 1; lo < batchSizes.length; lo *= 2) {
        int hi = Math.min(batchSizes.length - 1, lo * 2 - 1);
        long n = 0;
        for (int i = lo; i <= hi; i++) {
          n += batchSizes[i];
        }
        if (n > 0) {
          s.append(s.length() > 1 ? " " : "").append(lo == hi ? lo + "" : lo + "-" + hi).append(':').append(n);
        }
      }
      return s.append(']').toString();
    }
  }

  public Snapshot snapshot(String name) {
    long[] s = new long[sizes.length()];
    for (int i = 0; i < s.length; i++) {
      s[i] = sizes.get(i);
    }
    return new Snapshot(name, batches.sum(), items.sum(), rejected.sum(), failed.sum(), skipped.sum(), s,
        queueWait.snapshot(), compute.snapshot());
  }

  public Snapshot snapshot() {
    return snapshot("batcher");
  }
}
