package dev.clipsearch.batching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BatchStatsTest {
  @Test
  void percentilesAreBucketUpperBoundsCappedByTheMax() {
    BatchStats stats = new BatchStats("text", 8, new SimpleMeterRegistry());
    for (int i = 0; i < 99; i++) {
      stats.queueWait.record(1_500_000, TimeUnit.NANOSECONDS); // 1.5 ms -> bucket (1, 2.5] ms
    }
    stats.queueWait.record(40_000_000, TimeUnit.NANOSECONDS);
    BatchStats.Latency s = stats.snapshot("text").queueWait();
    assertEquals(100, s.count());
    assertEquals(2.5, s.p50Millis(), 1e-9);
    assertEquals(2.5, s.p99Millis(), 1e-9);
    assertEquals(40.0, s.maxMillis(), 1e-9);
    assertEquals((99 * 1.5 + 40) / 100, s.meanMillis(), 1e-9);
  }

  @Test
  void anEmptyTowerReadsZero() {
    BatchStats.Snapshot s = new BatchStats("image", 8, new SimpleMeterRegistry()).snapshot("image");
    assertEquals(new BatchStats.Latency(0, 0, 0, 0, 0), s.queueWait());
    assertEquals("[]", s.sizeRanges());
  }

  @Test
  void summaryGroupsBatchSizesInPowerOfTwoRanges() {
    BatchStats stats = new BatchStats("text", 32, new SimpleMeterRegistry());
    stats.recordBatch(1, 1_000_000);
    stats.recordBatch(3, 1_000_000);
    stats.recordBatch(32, 1_000_000);
    stats.rejected.increment();
    String line = stats.snapshot("text").summary();
    assertTrue(line.startsWith("text: 36 items in 3 batches (mean 12.0, sizes [1:1 2-3:1 32:1]), rejected 1"), line);
  }
}
