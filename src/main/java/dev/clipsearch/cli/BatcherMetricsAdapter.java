package dev.clipsearch.cli;

import dev.clipsearch.batching.BatchStats;
import dev.clipsearch.batching.Batcher;
import dev.clipsearch.embedding.ClipEncoder;
import dev.clipsearch.web.BatcherMetrics;
import java.util.List;

/**
 * Feeds the encoder's two batchers into /metrics: the one place that reads BatchStats for the web layer, which does not
 * know the batching package. /metrics exports running totals, so the snapshot's means are multiplied back; the
 * snapshot's latency histograms are not exported.
 */
final class BatcherMetricsAdapter implements BatcherMetrics {
  private final ClipEncoder encoder;

  BatcherMetricsAdapter(ClipEncoder encoder) {
    this.encoder = encoder;
  }

  @Override
  public List<Tower> sample() {
    return List.of(tower("text", encoder.textBatcher()), tower("image", encoder.imageBatcher()));
  }

  private static Tower tower(String name, Batcher<?, ?> batcher) {
    BatchStats.Snapshot s = batcher.stats().snapshot();
    // The snapshot gives means; Prometheus wants running totals, so multiply back (wait is per item, compute per batch).
    return new Tower(name, s.batches(), s.items(), s.rejected(), s.failed(),
        s.meanQueueWaitMillis() * s.items() / 1000.0, s.meanComputeMillis() * s.batches() / 1000.0, batcher.queued());
  }
}
