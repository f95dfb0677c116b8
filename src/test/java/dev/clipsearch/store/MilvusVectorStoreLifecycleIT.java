package dev.clipsearch.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.config.Settings;
import dev.clipsearch.testing.LiteKill;
import dev.clipsearch.testing.StoreConfigs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded server's life: data survives a restart, a dead server fails calls quickly, a closed store says so. */
class MilvusVectorStoreLifecycleIT {
  private static final int DIM = 16;
  @TempDir Path tmp;

  @Test
  void dataSurvivesARestartOfTheLiteChild() {
    StoreOptions o = LiteSupport.liteOptions(tmp.resolve("data"), DIM);
    Random rnd = new Random(11);
    List<ImageRecord> rows = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      rows.add(new ImageRecord("/kept/" + i + ".jpg", LiteSupport.unit(rnd, DIM)));
    }
    long firstPid;
    try (MilvusVectorStore s = MilvusVectorStore.open(o)) {
      firstPid = s.lite().pid();
      s.ensureCollection();
      s.insert(rows);
      assertEquals(1, s.deleteByPath("/kept/7.jpg"));
    }
    try (MilvusVectorStore s = MilvusVectorStore.open(o)) {
      assertTrue(s.lite().pid() != firstPid, "a new child");
      // Lite does not persist load state: ensureCollection must load it again or search/query would fail
      s.ensureCollection();
      assertEquals(49, s.count());
      assertEquals(Set.of("/kept/3.jpg"), s.existingPaths(List.of("/kept/3.jpg", "/kept/7.jpg")));
      Hit top = s.search(rows.get(12).vector(), 3).get(0);
      assertEquals("/kept/12.jpg", top.path());
      assertEquals(1.0f, top.score(), 1e-4f);
    }
  }

  @Test
  void aDeadServerFailsCallsQuicklyWithAStoreException() throws Exception {
    StoreOptions o = LiteSupport.liteOptions(tmp.resolve("doomed"), DIM);
    try (MilvusVectorStore embedded = MilvusVectorStore.open(o)) {
      embedded.ensureCollection();
      float[] v = LiteSupport.unit(new Random(12), DIM);
      embedded.insert(List.of(new ImageRecord("/a.jpg", v)));
      // the same server as a remote one, with a short deadline: nothing tells this store that the server died
      StoreOptions remoteOptions = StoreConfigs.options(DIM, java.util.Map.of(Settings.MILVUS, embedded.lite().uri(),
          Settings.MILVUS_DEADLINE_S, "2", Settings.MILVUS_LOAD_DEADLINE_S, "30"));
      try (MilvusVectorStore remote = MilvusVectorStore.open(remoteOptions)) {
        assertEquals(1, remote.count());

        LiteKill.kill(embedded.lite());

        // embedded: the store sees its child is gone and answers at once (and restarts it, see MilvusVectorStoreReconnectIT);
        // remote: nothing to restart, the call fails within the 2 s deadline
        assertFailsFast(embedded, v, 1000, "the vector store is restarting");
        assertFailsFast(remote, v, 3500, " is unreachable (could not ");
      }
    } // close() of a store whose server died must neither throw nor hang
  }

  private static void assertFailsFast(MilvusVectorStore s, float[] v, long maxMs, String says) {
    for (Runnable call : List.<Runnable>of(s::count, () -> s.search(v, 3),
        () -> s.insert(List.of(new ImageRecord("/b.jpg", v))), () -> s.existingPaths(List.of("/a.jpg")))) {
      long t0 = System.nanoTime();
      StoreException e = assertThrows(StoreException.class, call::run);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertTrue(ms < maxMs, "took " + ms + " ms: " + e.getMessage());
      assertTrue(e.getMessage().contains(says), e.getMessage());
      System.out.printf("[measure] dead server reported in %d ms: %s%n", ms, e.getMessage());
    }
  }

  @Test
  void aClosedStoreRefusesCalls() {
    MilvusVectorStore s = MilvusVectorStore.open(LiteSupport.liteOptions(tmp.resolve("closed"), DIM));
    s.ensureCollection();
    s.close();
    assertTrue(!s.lite().isAlive(), "closing the store stops its Lite child");
    StoreException e = assertThrows(StoreException.class, s::count);
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
    s.close();
  }
}
