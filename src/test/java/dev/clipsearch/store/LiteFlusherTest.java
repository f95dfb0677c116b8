package dev.clipsearch.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LiteFlusherTest {
  private final AtomicInteger flushes = new AtomicInteger();

  @Test
  void aBulkInsertIsFlushedAtOnce() {
    try (LiteFlusher f = new LiteFlusher(Duration.ofSeconds(10), flushes::incrementAndGet)) {
      assertTrue(f.flushNowAfter(LiteFlusher.BULK_ROWS));
    }
    assertEquals(0, flushes.get(), "nothing was left pending for close");
  }

  @Test
  void smallInsertsInOneWindowShareOneDeferredFlush() throws Exception {
    try (LiteFlusher f = new LiteFlusher(Duration.ofMillis(200), flushes::incrementAndGet)) {
      for (int i = 0; i < 30; i++) {
        assertFalse(f.flushNowAfter(1));
      }
      long end = System.nanoTime() + 5_000_000_000L;
      while (flushes.get() == 0 && System.nanoTime() < end) {
        Thread.sleep(10);
      }
      Thread.sleep(300);
      assertEquals(1, flushes.get(), "30 one-row inserts, one flush");
      assertFalse(f.flushNowAfter(1)); // a new window
    }
    assertEquals(2, flushes.get(), "close flushes what is pending");
  }

  @Test
  void aFailedDeferredFlushIsDroppedQuietly() {
    try (LiteFlusher f = new LiteFlusher(Duration.ofHours(1), () -> {
      flushes.incrementAndGet();
      throw new StoreException("lite is restarting");
    })) {
      f.flushNowAfter(1);
    }
    assertEquals(1, flushes.get());
  }
}
