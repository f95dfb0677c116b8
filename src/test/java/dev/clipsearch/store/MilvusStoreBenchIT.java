package dev.clipsearch.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Figures for the embedded default at CLIP ViT-B/32 size: Lite start-up, insert rate and search latency at 1k rows
 * (512-d, HNSW M=16/efConstruction=200, top-10). Prints "[measure]" lines; asserts only correctness, since timings
 * on a shared 2-core box vary. Reproduce: mvn -B -q test-compile failsafe:integration-test -Dit.test=MilvusStoreBenchIT
 */
class MilvusStoreBenchIT {
  private static final int DIM = 512;
  private static final int ROWS = 1000;
  private static final int QUERIES = 200;
  @TempDir Path tmp;

  @Test
  void insertAndSearchAtOneThousandRows() {
    long t0 = System.nanoTime();
    try (MilvusVectorStore s = MilvusVectorStore.open(LiteSupport.liteOptions(tmp.resolve("bench"), DIM))) {
      s.ensureCollection();
      System.out.printf("[measure] open + ensureCollection (Lite start-up %d ms): %d ms%n",
          s.lite().startupTime().toMillis(), ms(t0));
      Random rnd = new Random(42);
      List<ImageRecord> rows = new ArrayList<>(ROWS);
      for (int i = 0; i < ROWS; i++) {
        rows.add(new ImageRecord("/bench/img_" + i + ".jpg", LiteSupport.unit(rnd, DIM)));
      }
      long t1 = System.nanoTime();
      s.insert(rows);
      long insertMs = ms(t1);
      System.out.printf("[measure] insert %d rows: %d ms (%.0f rows/s)%n", ROWS, insertMs, ROWS * 1000.0 / insertMs);
      assertEquals(ROWS, s.count());

      for (int i = 0; i < 5; i++) { // warm-up
        s.search(LiteSupport.unit(rnd, DIM), 10);
      }
      long[] nanos = new long[QUERIES];
      int selfHits = 0;
      for (int q = 0; q < QUERIES; q++) {
        ImageRecord probe = rows.get((q * 37) % ROWS);
        long t = System.nanoTime();
        List<Hit> hits = s.search(probe.vector(), 10);
        nanos[q] = System.nanoTime() - t;
        selfHits += hits.get(0).path().equals(probe.path()) ? 1 : 0;
      }
      Arrays.sort(nanos);
      System.out.printf("[measure] search top-10 at %d rows: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms; self-hit@1 %d/%d%n",
          ROWS, nanos[QUERIES / 2] / 1e6, nanos[QUERIES * 9 / 10] / 1e6, nanos[QUERIES * 99 / 100] / 1e6, selfHits,
          QUERIES);
      assertEquals(QUERIES, selfHits);

      long t2 = System.nanoTime();
      List<String> probe = rows.subList(0, 500).stream().map(ImageRecord::path).toList();
      assertEquals(500, s.existingPaths(probe).size());
      System.out.printf("[measure] existingPaths for 500 stored paths: %d ms%n", ms(t2));
    }
  }

  private static long ms(long since) {
    return (System.nanoTime() - since) / 1_000_000;
  }
}
