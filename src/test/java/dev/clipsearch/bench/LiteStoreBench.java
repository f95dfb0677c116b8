package dev.clipsearch.bench;

import dev.clipsearch.config.Settings;
import dev.clipsearch.store.Hit;
import dev.clipsearch.store.ImageRecord;
import dev.clipsearch.store.LiteLauncher;
import dev.clipsearch.store.MilvusVectorStore;
import dev.clipsearch.store.SearchFilter;
import dev.clipsearch.store.StoreOptions;
import dev.clipsearch.testing.StoreConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Store figures at CLIP ViT-B/32 size (512-d, HNSW M=16/efConstruction=200, top-10): insert throughput with full
 * ingest records, then search p50/p99 unfiltered and with a folder filter, right after the insert (what a user sees
 * after an ingest; Lite may still be building the HNSW index in the background then). Not part of the test run.
 *
 * <p>Run after {@code mvn -B -q -DskipTests package test-compile}:
 * {@code java -cp target/clip-search.jar:target/test-classes dev.clipsearch.bench.LiteStoreBench 1000 10000}
 * (sizes as arguments; {@code -Dbench.uri=http://host:19530} benchmarks a Milvus server instead of an embedded Lite).
 */
public final class LiteStoreBench {
  private static final int DIM = 512;
  private static final int BATCH = 1000;
  private static final int QUERIES = 200;

  public static void main(String[] args) throws Exception {
    for (String a : args.length == 0 ? new String[] {"1000", "10000"} : args) {
      run(Integer.parseInt(a));
    }
  }

  private static void run(int rows) throws Exception {
    String remote = System.getProperty("bench.uri");
    Path tmp = Files.createTempDirectory("lite-bench-");
    StoreOptions o = StoreConfigs.options(DIM, java.util.Map.of(
        Settings.MILVUS, remote != null ? remote : tmp.resolve("milvus").toString(),
        Settings.COLLECTION, "bench_" + rows + "_" + System.currentTimeMillis(),
        Settings.PYTHON, LiteLauncher.defaultPython(Path.of("").toAbsolutePath(), System.getenv()),
        Settings.MILVUS_DEADLINE_S, "120", Settings.MILVUS_LOAD_DEADLINE_S, "1800"));
    try (MilvusVectorStore s = MilvusVectorStore.open(o)) {
      s.ensureCollection();
      Random rnd = new Random(42);
      List<float[]> probes = new ArrayList<>();
      long t0 = System.nanoTime();
      for (int done = 0; done < rows; done += BATCH) {
        List<ImageRecord> batch = new ArrayList<>(BATCH);
        for (int i = done; i < Math.min(rows, done + BATCH); i++) {
          float[] v = unit(rnd);
          if (i % Math.max(1, rows / QUERIES) == 0) {
            probes.add(v);
          }
          batch.add(new ImageRecord("/bench/" + (i % 10) + "/img_" + i + ".jpg", v, "0".repeat(64), 224, 224,
              50_000, 1_700_000_000_000L, System.currentTimeMillis(), List.of()));
        }
        s.insert(batch);
      }
      double insertS = (System.nanoTime() - t0) / 1e9;
      System.out.printf("[bench] %s, %d rows: insert %.1f s (%.0f rows/s), count %d%n", s.describe(), rows, insertS,
          rows / insertS, s.count());
      report("search", rows, s, probes, SearchFilter.NONE);
      report("search --under (1/10 of rows)", rows, s, probes, SearchFilter.under("/bench/3"));
    }
  }

  private static void report(String what, int rows, MilvusVectorStore s, List<float[]> probes, SearchFilter f) {
    for (int i = 0; i < 5; i++) {
      s.search(probes.get(i % probes.size()), 10, f); // warm-up
    }
    long[] nanos = new long[QUERIES];
    int selfHits = 0;
    for (int q = 0; q < QUERIES; q++) {
      float[] probe = probes.get(q % probes.size());
      long t = System.nanoTime();
      List<Hit> hits = s.search(probe, 10, f);
      nanos[q] = System.nanoTime() - t;
      selfHits += !hits.isEmpty() && hits.get(0).score() > 0.9999f ? 1 : 0;
    }
    Arrays.sort(nanos);
    System.out.printf("[bench] %d rows, %s top-10: p50 %.1f ms, p99 %.1f ms (self-hit@1 %d/%d)%n", rows, what,
        nanos[QUERIES / 2] / 1e6, nanos[QUERIES * 99 / 100] / 1e6, selfHits, QUERIES);
  }

  private static float[] unit(Random rnd) {
    float[] v = new float[DIM];
    double norm = 0;
    for (int i = 0; i < DIM; i++) {
      v[i] = (float) rnd.nextGaussian();
      norm += v[i] * v[i];
    }
    for (int i = 0; i < DIM; i++) {
      v[i] /= (float) Math.sqrt(norm);
    }
    return v;
  }
}
