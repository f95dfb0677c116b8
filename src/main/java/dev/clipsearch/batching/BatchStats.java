package dev.clipsearch.batching;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Metrics of one batcher (one tower), as Micrometer meters tagged {@code tower}: batch sizes, queue wait per item
 * (enqueue to compute start) and compute time per batch as histograms, and the batch, item, rejected, failed and
 * skipped counts. /metrics exports them from the registry (see README, Operations); {@link #snapshot} reads the same
 * meters for the periodic log line.
 *
 * <p>Threading: written by the batcher's threads and {@code submit} callers, read from anywhere; meters are
 * thread-safe, and a snapshot taken while samples arrive may mix a few before and after, fine for monitoring.
 */
public final class BatchStats {
  /** From a cached-size text batch (0.1 ms) to a large image batch under load (30 s). */
  private static final Duration[] LATENCY_BUCKETS = millis(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000,
      2500, 5000, 10_000, 30_000);

  final Counter batches;
  final Counter items;
  final Counter rejected;
  final Counter failed;
  final Counter skipped;
  final Timer queueWait;
  final Timer compute;
  private final DistributionSummary sizes;

  BatchStats(String tower, int maxBatch, MeterRegistry registry) {
    this.batches = Counter.builder("clipsearch.batches").tag("tower", tower).description("Model batches run.")
        .register(registry);
    this.items = Counter.builder("clipsearch.batch.items").tag("tower", tower)
        .description("Requests encoded in batches (mean batch = items / batches).").register(registry);
    this.rejected = Counter.builder("clipsearch.batch.rejected").tag("tower", tower)
        .description("Requests refused because the batch queue was full.").register(registry);
    this.failed = Counter.builder("clipsearch.batch.failed").tag("tower", tower)
        .description("Requests whose batch failed in the model.").register(registry);
    this.skipped = Counter.builder("clipsearch.batch.skipped").tag("tower", tower)
        .description("Requests dropped before compute because their caller had given up.").register(registry);
    this.queueWait = Timer.builder("clipsearch.batch.queue.wait").tag("tower", tower)
        .description("Time a request waited for its batch to start computing.")
        .serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
    this.compute = Timer.builder("clipsearch.batch.compute").tag("tower", tower)
        .description("Model time of a batch, staging views and copying results out included.")
        .serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
    this.sizes = DistributionSummary.builder("clipsearch.batch.size").tag("tower", tower)
        .description("Requests per batch.").serviceLevelObjectives(sizeBuckets(maxBatch)).register(registry);
  }

  void recordBatch(int size, long computeNanos) {
    batches.increment();
    items.increment(size);
    sizes.record(size);
    compute.record(computeNanos, TimeUnit.NANOSECONDS);
  }

  /** Power-of-two ranges 1, 2-3, 4-7, ... up to the largest batch: upper bounds 1, 3, 7, ..., maxBatch. */
  private static double[] sizeBuckets(int maxBatch) {
    List<Double> bounds = new ArrayList<>();
    for (long b = 1; b < maxBatch; b = b * 2 + 1) {
      bounds.add((double) b);
    }
    bounds.add((double) maxBatch);
    return bounds.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static Duration[] millis(double... ms) {
    Duration[] d = new Duration[ms.length];
    for (int i = 0; i < ms.length; i++) {
      d[i] = Duration.ofNanos(Math.round(ms[i] * 1e6));
    }
    return d;
  }

  /**
   * Durations in milliseconds; percentiles are the upper bound of the bucket they fall in, capped by the max (good
   * enough for "is the queue wait 2 ms or 200 ms").
   */
  public record Latency(long count, double meanMillis, double p50Millis, double p99Millis, double maxMillis) {
    static Latency of(Timer t) {
      HistogramSnapshot s = t.takeSnapshot();
      double max = s.max(TimeUnit.MILLISECONDS);
      return new Latency(s.count(), s.mean(TimeUnit.MILLISECONDS), Math.min(max, upperBound(s, 0.50)),
          Math.min(max, upperBound(s, 0.99)), max);
    }

    private static double upperBound(HistogramSnapshot s, double q) {
      long rank = (long) Math.ceil(q * s.count());
      for (CountAtBucket b : s.histogramCounts()) {
        if (rank > 0 && b.count() >= rank) {
          return b.bucket(TimeUnit.MILLISECONDS);
        }
      }
      return s.max(TimeUnit.MILLISECONDS);
    }
  }

  /**
   * @param sizeRanges e.g. {@code [1:12 2-3:3 4-7:8 16-31:40]}: batches per power-of-two size range, non-empty only
   * @param skipped jobs dropped because their caller had given up (cancelled or timed out) before compute
   * @param queueWait per item, from submit to the start of its batch's compute
   * @param compute per batch, the model call including staging views and copying results out
   */
  public record Snapshot(String name, long batches, long items, long rejected, long failed, long skipped,
      String sizeRanges, Latency queueWait, Latency compute) {
    public double meanBatch() {
      return batches == 0 ? 0 : (double) items / batches;
    }

    /** One log line: counts, mean batch, size distribution, wait and compute. */
    public String summary() {
      return String.format(Locale.ROOT,
          "%s: %d items in %d batches (mean %.1f, sizes %s), rejected %d, failed %d, skipped %d; "
              + "queue wait ms mean %.2f p50<=%.2f p99<=%.2f max %.2f; compute ms mean %.2f p99<=%.2f max %.2f",
          name, items, batches, meanBatch(), sizeRanges, rejected, failed, skipped, queueWait.meanMillis(),
          queueWait.p50Millis(), queueWait.p99Millis(), queueWait.maxMillis(), compute.meanMillis(),
          compute.p99Millis(), compute.maxMillis());
    }
  }

  public Snapshot snapshot(String name) {
    return new Snapshot(name, (long) batches.count(), (long) items.count(), (long) rejected.count(),
        (long) failed.count(), (long) skipped.count(), sizeRanges(), Latency.of(queueWait), Latency.of(compute));
  }

  private String sizeRanges() {
    StringBuilder s = new StringBuilder("[");
    long below = 0;
    long lo = 1;
    for (CountAtBucket b : sizes.takeSnapshot().histogramCounts()) {
      long hi = (long) b.bucket();
      long n = (long) b.count() - below; // buckets are cumulative
      if (n > 0) {
        s.append(s.length() > 1 ? " " : "").append(lo == hi ? lo + "" : lo + "-" + hi).append(':').append(n);
      }
      below = (long) b.count();
      lo = hi + 1;
    }
    return s.append(']').toString();
  }
}
