package dev.clipsearch.bench;

import dev.clipsearch.config.Settings;
import dev.clipsearch.migrate.Migration;
import dev.clipsearch.store.MilvusVectorStore;
import dev.clipsearch.store.ModelStamp;
import dev.clipsearch.store.SourceCollection;
import dev.clipsearch.testing.RandomVectors;
import dev.clipsearch.testing.SharedData;
import dev.clipsearch.testing.StoreConfigs;
import dev.clipsearch.testing.StoreTarget;
import dev.clipsearch.testing.TutorialCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Migration throughput ({@code clip-search migrate}'s work, in process): a collection made by the Milvus tutorial's own
 * calls (pymilvus, src/test/python/tutorial_collection.py) with N rows of synthetic 512-d unit vectors, each pointing
 * at a real file (a CIFAR JPEG, one byte changed per file, so every file is read and hashed), is copied into a
 * clip-search collection on the same Milvus Lite (or the standalone with {@code -Dbench.target=standalone}).
 * Prints the copy rate (read, stat + hash, insert) and the whole run with the source's verification pass. Not part of
 * the test run.
 *
 * <p>Run after {@code mvn -B -q -DskipTests package test-compile}:
 * {@code java -cp target/clip-search.jar:target/test-classes dev.clipsearch.bench.MigrateBench 10000}
 */
public final class MigrateBench {
  private static final int DIM = 512;

  public static void main(String[] args) throws Exception {
    int rows = args.length == 0 ? 10_000 : Integer.parseInt(args[0]);
    StoreTarget target = "standalone".equals(System.getProperty("bench.target")) ? StoreTarget.STANDALONE
        : StoreTarget.LITE;
    Path tmp = Files.createTempDirectory("migrate-bench-");
    Path liteDir = tmp.resolve("tutorial.db");
    TutorialCode tutorial = new TutorialCode(target, liteDir, Files.createDirectories(tmp.resolve("work")));
    Path photos = Files.createDirectories(tmp.resolve("photos"));
    byte[] jpeg = Files.readAllBytes(SharedData.root().resolve("data/cifar10-test/dog/0000.jpg"));
    Random rnd = new Random(10);
    List<Map<String, Object>> source = new ArrayList<>(rows);
    for (int i = 0; i < rows; i++) {
      Path file = photos.resolve(i + ".jpg");
      byte[] bytes = jpeg.clone();
      bytes[bytes.length - 3] = (byte) i;
      Files.write(file, bytes);
      source.add(TutorialCode.row(RandomVectors.unit(rnd, DIM), file.toString()));
    }
    String name = "bench_source_" + rows;
    long t0 = System.nanoTime();
    tutorial.create(name, "tutorial", source);
    System.out.printf("source: %d rows made by the tutorial's calls in %.1f s; files of %d bytes%n", rows,
        (System.nanoTime() - t0) / 1e9, jpeg.length);
    ModelStamp model = new ModelStamp("synthetic", "0".repeat(64), DIM);
    double[] copySeconds = new double[1];
    try (MilvusVectorStore store = MilvusVectorStore.open(StoreConfigs.options(model, StoreConfigs.with(
        target.settings(liteDir, "bench_target_" + rows), Map.of(Settings.MILVUS_DEADLINE_S, "120"))))) {
      store.ensureCollection();
      SourceCollection from = store.source(name, "vector", "filepath");
      Migration.Report r = new Migration(from, store, "bench_target_" + rows, (d, t, f, s) -> copySeconds[0] = s)
          .run();
      if (r.copied() != rows || !r.sourceUnchanged() || store.count() != rows) {
        throw new IllegalStateException("the migration is wrong: " + r.summary() + ", target " + store.count());
      }
      System.out.printf("migrate %d rows on %s: copy %.1f s = %.0f rows/s; with the source's verification pass "
          + "%.1f s = %.0f rows/s%n", rows, store.describe(), copySeconds[0], rows / copySeconds[0], r.seconds(),
          r.rowsPerSecond());
    }
  }
}
