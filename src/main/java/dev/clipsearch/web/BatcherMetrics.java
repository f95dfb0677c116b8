package dev.clipsearch.web;

import java.util.List;

/**
 * The hook through which the composition root exposes the model batchers on /metrics without the web layer knowing
 * the batching package. Called on every scrape; return cumulative totals (Prometheus computes rates and means, e.g.
 * mean batch size = rate(items) / rate(batches)).
 */
@FunctionalInterface
public interface BatcherMetrics {
  BatcherMetrics NONE = List::of;

  List<Tower> sample();

  /**
   * Totals for one batcher since start.
   *
   * @param tower "text" or "image" (a metric label: a fixed word)
   * @param batches batches run
   * @param items requests in those batches
   * @param rejected refused because the queue was full
   * @param failed failed in the model
   * @param queueWaitSeconds summed time requests waited before their batch started
   * @param computeSeconds summed time batches spent in the model
   * @param queued waiting now, or -1 when the source cannot say
   */
  record Tower(String tower, long batches, long items, long rejected, long failed, double queueWaitSeconds,
      double computeSeconds, long queued) {}
}
