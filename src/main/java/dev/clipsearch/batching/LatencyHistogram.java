package dev.clipsearch.batching;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Durations in log2 microsecond buckets (bucket k holds [2^(k-1), 2^k) µs; bucket 0 holds < 1 µs), plus exact count,
 * sum and max. Percentiles are read from the buckets, so they are upper bounds within a factor of 2: plenty for
 * "is the queue wait 2 ms or 200 ms", at a cost of one atomic add per sample and no allocation.
 *
 * <p>Threading: {@link #record} is lock-free and may run on any thread; a {@link #snapshot} taken while samples arrive
 * may mix a few samples before and after, which is fine for monitoring.
 */
public final class LatencyHistogram {
  static final int BUCKETS = 40; // 2^39 µs is ~6 days

  private final AtomicLongArray buckets = new AtomicLongArray(BUCKETS);
  private final LongAdder count = new LongAdder();
  private final LongAdder sumNanos = new LongAdder();
  private final AtomicLong maxNanos = new AtomicLong();

  /** Summary in milliseconds; percentiles are bucket upper bounds. */
  public record Snapshot(long count, double meanMillis, double p50Millis, double p99Millis, double maxMillis) {}

  public void record(long nanos) {
    long n = Math.max(0, nanos);
    buckets.incrementAndGet(bucket(n / 1000));
    count.increment();
    sumNanos.add(n);
    maxNanos.accumulateAndGet(n, Math::max);
  }

  static int bucket(long micros) {
    return Math.min(BUCKETS - 1, 64 - Long.numberOfLeadingZeros(micros));
  }

  /** The upper bound of bucket k in ms. */
  static double upperMillis(int k) {
    return (1L << k) / 1000.0;
  }

  public Snapshot snapshot() {
    long[] b = new long[BUCKETS];
    long total = 0;
    for (int i = 0; i < BUCKETS; i++) {
      b[i] = buckets.get(i);
      total += b[i];
    }
    long n = count.sum();
    double max = maxNanos.get() / 1e6;
    return new Snapshot(n, n == 0 ? 0 : sumNanos.sum() / 1e6 / n,
        Math.min(max, percentile(b, total, 0.50)), Math.min(max, percentile(b, total, 0.99)), max);
  }

  private static double percentile(long[] b, long total, double q) {
    if (total == 0) {
      return 0;
    }
    long rank = (long) Math.ceil(q * total);
    long seen = 0;
    for (int i = 0; i < b.length; i++) {
      seen += b[i];
      if (seen >= rank) {
        return upperMillis(i);
      }
    }
    return upperMillis(b.length - 1);
  }
}
