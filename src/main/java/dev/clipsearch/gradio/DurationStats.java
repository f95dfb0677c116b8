package dev.clipsearch.gradio;

/**
 * Running mean of event durations, for the {@code eta}/{@code rank_eta}/{@code average_duration} fields (clients only
 * display them). Thread-safe via synchronized; two fields, no contention worth a lock-free design.
 */
final class DurationStats {
  private long count;
  private double totalSeconds;

  /** @return the duration in seconds */
  synchronized double record(long nanos) {
    double s = nanos / 1e9;
    count++;
    totalSeconds += s;
    return s;
  }

  /** Null until the first event finished: Gradio also sends {@code "eta": null} then. */
  synchronized Double averageSeconds() {
    return count == 0 ? null : totalSeconds / count;
  }

  /** Expected wait for an event with {@code ahead} events queued in front of it. */
  synchronized Double etaSeconds(int ahead, int workers) {
    return count == 0 ? null : (totalSeconds / count) * (1 + ahead / (double) workers);
  }
}
