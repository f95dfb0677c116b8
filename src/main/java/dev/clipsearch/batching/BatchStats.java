package dev.clipsearch.batching;

import java.util.concurrent.atomic.LongAdder;

/** Counters per batcher, read by /health and the benchmarks. Thread-safe. */
public final class BatchStats {
  final LongAdder batches = new LongAdder();
  final LongAdder items = new LongAdder();
  final LongAdder rejected = new LongAdder();
  final LongAdder failed = new LongAdder();
  final LongAdder queueWaitNanos = new LongAdder();
  final LongAdder computeNanos = new LongAdder();

  public record Snapshot(long batches, long items, long rejected, long failed, double meanBatch,
      double meanQueueWaitMillis, double meanComputeMillis) {}

  public Snapshot snapshot() {
    long b = batches.sum();
    long n = items.sum();
    return new Snapshot(b, n, rejected.sum(), failed.sum(), b == 0 ? 0 : (double) n / b,
        n == 0 ? 0 : queueWaitNanos.sum() / 1e6 / n, b == 0 ? 0 : computeNanos.sum() / 1e6 / b);
  }
}
