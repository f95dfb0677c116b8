package dev.clipsearch.bench;

import java.util.List;

/**
 * One cell of the table: a mode (batching on/off), a tower, a client count. Latencies in ms, measured per request
 * from send to the final SSE event; the load averages bracket the cell (2 shared cores: read figures with them).
 */
record CellResult(String mode, String tower, int clients, double seconds, long requests, long errors,
    double throughputPerSecond, double p50Millis, double p99Millis, double loadBefore, double loadAfter,
    String firstError) {

  static CellResult of(String mode, String tower, int clients, double seconds, List<Double> latencies, long errors,
      double loadBefore, double loadAfter, String firstError) {
    double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return new CellResult(mode, tower, clients, seconds, sorted.length, errors, sorted.length / seconds,
        percentile(sorted, 0.50), percentile(sorted, 0.99), loadBefore, loadAfter, firstError);
  }

  /** Nearest-rank percentile; NaN when no request finished. */
  static double percentile(double[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
