package dev.clipsearch.store;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When Milvus Lite flushes after an insert. Lite searches its unflushed rows too, but slowly (it rebuilds arrays of
 * them on every search), so rows should be flushed soon; yet a flush costs 30-150 ms of Lite's single process and
 * holds the write lock. A bulk insert (folder ingest writes 256 rows at a time) is flushed at once; small inserts
 * (one uploaded image each) share one flush per window, so 30 concurrent uploads cost one flush, not 30 in a row.
 * Unflushed rows are already durable (Lite's write-ahead log): the flush is for search speed only.
 */
final class LiteFlusher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LiteFlusher.class);
  static final int BULK_ROWS = 64;

  private final Runnable flush;
  private final Duration window;
  private final AtomicBoolean pending = new AtomicBoolean();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "milvus-lite-flush");
    t.setDaemon(true);
    return t;
  });

  /** @param flush flushes the collection (under the store's write lock); may throw when Lite is down */
  LiteFlusher(Duration window, Runnable flush) {
    this.window = window;
    this.flush = flush;
  }

  /** Called after an insert of {@code rows} rows, holding the write lock: returns true if the caller must flush now. */
  boolean flushNowAfter(int rows) {
    if (rows >= BULK_ROWS) {
      pending.set(false); // this flush covers the earlier small inserts too
      return true;
    }
    if (pending.compareAndSet(false, true)) {
      timer.schedule(this::flushPending, window.toMillis(), TimeUnit.MILLISECONDS);
    }
    return false;
  }

  private void flushPending() {
    if (!pending.getAndSet(false)) {
      return;
    }
    try {
      flush.run();
    } catch (RuntimeException e) {
      LOG.debug("deferred flush failed (rows stay searchable and durable): {}", e.toString());
    }
  }

  /** Flushes what is pending, then stops the timer. */
  @Override
  public void close() {
    timer.shutdownNow();
    flushPending();
  }
}
