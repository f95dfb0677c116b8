package dev.clipsearch.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.config.Settings;
import dev.clipsearch.testing.LiteKill;
import dev.clipsearch.testing.StoreConfigs;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Faults of the server behind the store: unreachable at start, and the embedded child killed while in use. */
class MilvusVectorStoreReconnectIT {
  private static final int DIM = 16;
  @TempDir Path tmp;

  @Test
  void anUnreachableServerAtStartIsRetriedWithBackoffThenNamedInTheError() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // free, and closed again: nothing listens there
    }
    StoreOptions o = StoreConfigs.options(DIM, java.util.Map.of(Settings.MILVUS, "http://127.0.0.1:" + port,
        Settings.MILVUS_DEADLINE_S, "1", Settings.MILVUS_LOAD_DEADLINE_S, "5"));
    Backoff b = new Backoff(3, Duration.ofMillis(300), Duration.ofMillis(600));
    long t0 = System.nanoTime();
    StoreException e = assertThrows(StoreException.class, () -> MilvusVectorStore.open(o, b));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    System.out.printf("[measure] unreachable at start given up after %d ms: %s%n", ms, e.getMessage());
    assertTrue(e.getMessage().contains("Milvus at http://127.0.0.1:" + port + " is still unreachable after 3 attempts"),
        e.getMessage());
    assertTrue(ms >= 900, "waited 300 + 600 ms between the tries, took " + ms);
    assertTrue(ms < 20_000, "bounded, took " + ms);
  }

  @Test
  void aKilledLiteChildIsRestartedOnTheSameDataAndCallsRecover() throws Exception {
    StoreOptions o = LiteSupport.liteOptions(tmp.resolve("data"), DIM);
    Random rnd = new Random(5);
    List<ImageRecord> rows = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      rows.add(new ImageRecord("/kept/" + i + ".jpg", LiteSupport.unit(rnd, DIM)));
    }
    try (MilvusVectorStore s = MilvusVectorStore.open(o, new Backoff(4, Duration.ofMillis(500), Duration.ofSeconds(2)))) {
      s.ensureCollection();
      s.insert(rows);
      long oldPid = s.lite().pid();
      LiteKill.kill(s.lite()); // kill -9: no clean shutdown, no flush beyond what Lite already acknowledged

      long t0 = System.nanoTime();
      StoreException first = assertThrows(StoreException.class, () -> s.search(rows.get(3).vector(), 1));
      assertTrue(first instanceof StoreRestartingException, first.toString());
      assertTrue((System.nanoTime() - t0) / 1_000_000 < 1000, "fails fast instead of waiting for a deadline");

      long recoveredMs = awaitRecovery(s, 60_000);
      System.out.printf("[measure] Lite restarted and serving %d ms after kill -9%n", recoveredMs);
      assertTrue(s.lite().pid() != oldPid, "a new child");
      assertEquals(30, s.count(), "every acknowledged row is still stored");
      assertEquals("/kept/3.jpg", s.search(rows.get(3).vector(), 1).get(0).path());
      assertEquals(1, s.insert(List.of(new ImageRecord("/after.jpg", LiteSupport.unit(rnd, DIM)))), "writes work too");
    }
  }

  /** Polls {@link MilvusVectorStore#count} until it answers; returns the milliseconds it took. */
  static long awaitRecovery(MilvusVectorStore s, long timeoutMs) throws InterruptedException {
    long t0 = System.nanoTime();
    while (true) {
      try {
        s.count();
        return (System.nanoTime() - t0) / 1_000_000;
      } catch (StoreException e) {
        if ((System.nanoTime() - t0) / 1_000_000 > timeoutMs) {
          throw new AssertionError("no recovery within " + timeoutMs + " ms; last: " + e.getMessage(), e);
        }
        Thread.sleep(200);
      }
    }
  }
}
