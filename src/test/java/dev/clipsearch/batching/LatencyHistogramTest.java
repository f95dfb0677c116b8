package dev.clipsearch.batching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
  @Test
  void percentilesAreBucketUpperBoundsCappedByTheMax() {
    LatencyHistogram h = new LatencyHistogram();
    for (int i = 0; i < 99; i++) {
      h.record(1_500_000); // 1.5 ms -> bucket (1.024, 2.048] ms
    }
    h.record(40_000_000);
    LatencyHistogram.Snapshot s = h.snapshot();
    assertEquals(100, s.count());
    assertEquals(2.048, s.p50Millis(), 1e-9);
    assertEquals(2.048, s.p99Millis(), 1e-9);
    assertEquals(40.0, s.maxMillis(), 1e-9);
    assertEquals((99 * 1.5 + 40) / 100, s.meanMillis(), 1e-9);
  }

  @Test
  void anEmptyHistogramReadsZero() {
    assertEquals(new LatencyHistogram.Snapshot(0, 0, 0, 0, 0), new LatencyHistogram().snapshot());
  }

  @Test
  void summaryGroupsBatchSizesInPowerOfTwoRanges() {
    BatchStats stats = new BatchStats(32);
    stats.recordBatch(1, 1_000_000);
    stats.recordBatch(3, 1_000_000);
    stats.recordBatch(32, 1_000_000);
    stats.rejected.increment();
    String line = stats.snapshot("text").summary();
    assertTrue(line.startsWith("text: 36 items in 3 batches (mean 12.0, sizes [1:1 2-3:1 32:1]), rejected 1"), line);
  }
}
