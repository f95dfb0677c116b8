package dev.clipsearch.cli;

import dev.clipsearch.batching.BatchStats;
import dev.clipsearch.embedding.ClipEncoder;
import dev.clipsearch.web.BatcherMetrics;
import java.util.List;

/**
 * Feeds the encoder's two batchers into /metrics. Kept apart from WebStarter because it is the one place that reads
 * BatchStats: when the batching engine's snapshot grows (per-tower latency histograms), only this file changes. It
 * uses only accessors both the current and the planned Snapshot have (batches, items, rejected, failed, means).
 */
final class BatcherMetricsAdapter implements BatcherMetrics {
  private final ClipEncoder encoder;

  BatcherMetricsAdapter(ClipEncoder encoder) {
    this.encoder = encoder;
  }

  @Override
  public List<Tower> sample() {
    return List.of(tower("text", encoder.textBatcher().stats()), tower("image", encoder.imageBatcher().stats()));
  }

  private static Tower tower(String name, BatchStats stats) {
    BatchStats.Snapshot s = stats.snapshot();
    // The snapshot gives means; Prometheus wants running totals, so multiply back (wait is per item, compute per batch).
    return new Tower(name, s.batches(), s.items(), s.rejected(), s.failed(),
        s.meanQueueWaitMillis() * s.items() / 1000.0, s.meanComputeMillis() * s.batches() / 1000.0, -1);
  }
}
