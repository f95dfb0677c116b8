package dev.clipsearch.embedding;

import dev.clipsearch.batching.BatchStats;
import dev.clipsearch.concurrent.Threads;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs one summary line per tower every period (skipped while nothing new happened) and once more at close, so a
 * run's batching behaviour is in the log even without a metrics endpoint.
 *
 * <p>Threading: one daemon scheduler thread reads the snapshots (lock-free counters); {@link #close()} stops it and
 * logs the final lines on the caller's thread.
 */
public final class MetricsLog implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MetricsLog.class);

  private final Supplier<List<BatchStats.Snapshot>> source;
  private final ScheduledExecutorService timer;
  private long lastItems = -1;

  /** @param periodSeconds 0 = no periodic lines, only the one at close */
  public MetricsLog(Supplier<List<BatchStats.Snapshot>> source, int periodSeconds) {
    this.source = source;
    if (periodSeconds > 0) {
      timer = Executors.newSingleThreadScheduledExecutor(Threads.named("metrics-log"));
      timer.scheduleAtFixedRate(() -> logIfChanged(), periodSeconds, periodSeconds, TimeUnit.SECONDS);
    } else {
      timer = null;
    }
  }

  private synchronized void logIfChanged() {
    try {
      List<BatchStats.Snapshot> all = source.get();
      long items = all.stream().mapToLong(s -> s.items() + s.rejected() + s.failed()).sum();
      if (items != lastItems) {
        lastItems = items;
        all.forEach(s -> log.info("batching {}", s.summary()));
      }
    } catch (RuntimeException e) {
      log.warn("metrics log failed: {}", e.toString()); // never let the timer thread die silently
    }
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
    lastItems = -2;
    logIfChanged();
  }
}
