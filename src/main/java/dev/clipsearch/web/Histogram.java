package dev.clipsearch.web;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * A Prometheus histogram of durations in seconds with fixed buckets. Lock-free (one adder per bucket): it is updated on
 * every request thread. Buckets span 1 ms (a cached query) to 30 s (a large image batch under load).
 */
final class Histogram {
  static final double[] BOUNDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
  private final LongAdder[] buckets = new LongAdder[BOUNDS.length + 1]; // last one is +Inf
  private final DoubleAdder sum = new DoubleAdder();

  Histogram() {
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] = new LongAdder();
    }
  }

  void observeNanos(long nanos) {
    double s = nanos / 1e9;
    int i = 0;
    while (i < BOUNDS.length && s > BOUNDS[i]) {
      i++;
    }
    buckets[i].increment(); // non-cumulative here; made cumulative when written
    sum.add(s);
  }

  /** Appends the _bucket, _sum and _count lines; {@code labels} is "" or {@code key="v",...} without braces. */
  void write(StringBuilder out, String name, String labels) {
    String sep = labels.isEmpty() ? "" : labels + ",";
    long cumulative = 0;
    for (int i = 0; i < buckets.length; i++) {
      cumulative += buckets[i].sum();
      String le = i < BOUNDS.length ? Metrics.number(BOUNDS[i]) : "+Inf";
      out.append(name).append("_bucket{").append(sep).append("le=\"").append(le).append("\"} ").append(cumulative)
          .append('\n');
    }
    String braces = labels.isEmpty() ? "" : "{" + labels + "}";
    out.append(name).append("_sum").append(braces).append(' ').append(Metrics.number(sum.sum())).append('\n');
    out.append(name).append("_count").append(braces).append(' ').append(cumulative).append('\n');
  }
}
