package dev.clipsearch.migrate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipsearch.config.Settings;
import dev.clipsearch.ingest.FolderIngest;
import dev.clipsearch.model.Vectors;
import dev.clipsearch.store.Hit;
import dev.clipsearch.store.MilvusVectorStore;
import dev.clipsearch.store.ModelStamp;
import dev.clipsearch.store.SourceCollection;
import dev.clipsearch.store.StoreOptions;
import dev.clipsearch.store.StoredImage;
import dev.clipsearch.testing.RandomVectors;
import dev.clipsearch.testing.SharedData;
import dev.clipsearch.testing.StoreConfigs;
import dev.clipsearch.testing.StoreTarget;
import dev.clipsearch.testing.TutorialCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code migrate} of a collection made by the Milvus tutorial's own Python calls into a clip-search collection, on a
 * real Milvus Lite ({@link MigrationServerIT}: on a Milvus standalone): vectors carried over, file facts from the
 * files, the rows whose files are gone reported, an interrupted run finished by the next, and the source never
 * modified (its count and checksum, taken by pymilvus, equal before and after).
 */
class MigrationIT {
  private static final int DIM = 32;
  /** More than two of the source's pages, so a run can be stopped half-way. */
  private static final int ROWS = 2500;
  private static final ModelStamp MODEL = new ModelStamp("cifar-tiny-clip", "a".repeat(64), DIM);
  @TempDir Path tmp;

  StoreTarget target() {
    return StoreTarget.LITE;
  }

  @Test
  void copiesEveryRowOnceAcrossAnInterruptionAndNeverModifiesTheSource() throws Exception {
    Path liteDir = tmp.resolve("tutorial.db");
    TutorialCode tutorial = new TutorialCode(target(), liteDir, Files.createDirectories(tmp.resolve("work")));
    Path photos = Files.createDirectories(tmp.resolve("photos"));
    byte[] jpeg = Files.readAllBytes(SharedData.root().resolve("data/cifar10-test/dog/0000.jpg"));
    Random rnd = new Random(24);
    List<Map<String, Object>> rows = new ArrayList<>();
    List<float[]> vectors = new ArrayList<>();
    List<String> gone = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      Path file = photos.resolve(i + ".jpg");
      if (i % 10 == 7) {
        gone.add(file.toString()); // the tutorial embedded it, and it has been deleted since
      } else {
        byte[] bytes = jpeg.clone();
        bytes[bytes.length - 3] = (byte) i; // distinct contents, distinct hashes
        Files.write(file, bytes);
      }
      float[] v = RandomVectors.unit(rnd, DIM);
      vectors.add(v);
      rows.add(TutorialCode.row(v, file.toString()));
    }
    // the tutorial's insert of one file, run twice
    rows.add(TutorialCode.row(RandomVectors.unit(rnd, DIM), photos.resolve("5.jpg").toString()));
    String source = "tutorial_source";
    tutorial.create(source, "tutorial", rows);
    JsonNode before = tutorial.snapshot(source, "tutorial");
    assertEquals(ROWS + 1, before.get("count").asInt());

    var options = StoreConfigs.options(MODEL, StoreConfigs.with(target().settings(liteDir, "migrated"),
        Map.of(Settings.ADOPT_COLLECTION, "true")));
    Migration.Report first;
    Migration.Report second;
    try (MilvusVectorStore store = MilvusVectorStore.open(options)) {
      store.ensureCollection();
      SourceCollection from = store.source(source, "vector", "filepath");
      assertTrue(from.model().isEmpty(), "the tutorial records no model");
      FolderIngest.Progress stopAfterOnePage = (done, total, failed, seconds) -> {
        throw new IllegalStateException("stopped after " + done + " rows");
      };
      IllegalStateException stopped = assertThrows(IllegalStateException.class,
          () -> new Migration(from, store, "migrated", stopAfterOnePage).run());
      assertEquals("stopped after 1000 rows", stopped.getMessage());
      assertEquals(1000, store.count());

      List<int[]> bars = new ArrayList<>();
      second = new Migration(from, store, "migrated", (d, t, f, s) -> bars.add(new int[] {d, t})).run();
      assertEquals(ROWS + 1, second.sourceRows());
      assertEquals(ROWS - 1000, second.copied(), second.summary().toString());
      assertEquals(1000, second.alreadyThere());
      assertEquals(1, second.duplicatePaths());
      assertEquals(gone.stream().sorted().toList(), second.gone().stream().map(Migration.Gone::path).sorted()
          .toList());
      assertEquals(ROWS, store.count());
      assertEquals(ROWS + 1, bars.get(bars.size() - 1)[0], "the progress reaches the end");

      // the source, unchanged, read by Java and by pymilvus alike
      assertTrue(second.sourceUnchanged(), second.summary().toString());
      assertEquals(before.get("sha256").asText(), second.checksumBefore(), "Java and pymilvus hash the same rows");

      // vectors carried over, facts from the files
      for (int i : new int[] {0, 1234, ROWS - 1}) {
        Path file = photos.resolve(i + ".jpg");
        List<Hit> hit = store.search(vectors.get(i), 1);
        assertEquals(file.toString(), hit.get(0).path());
        assertEquals(1.0f, hit.get(0).score(), 1e-5f);
        StoredImage row = store.lookup(List.of(file.toString())).get(0);
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
            .digest(Files.readAllBytes(file))), row.sha256());
        assertEquals(Files.size(file), row.sizeBytes());
      }
      assertTrue(store.lookup(List.of(gone.get(0))).get(0).recordsNoFileFacts());
      assertTrue(store.hasOwnLayout());

      first = new Migration(from, store, "migrated", (d, t, f, s) -> { }).run();
      assertEquals(0, first.copied(), "a third run finds everything copied");
      assertEquals(ROWS, store.count());
    }
    assertEquals(before, tutorial.snapshot(source, "tutorial"), "the source is never modified");
  }

  @Test
  void anL2SourcesVectorsOfOtherLengthsAreCopiedAtUnitLengthAndTheReportSaysSo() throws Exception {
    Path liteDir = tmp.resolve("their.db");
    TutorialCode their = new TutorialCode(target(), liteDir, Files.createDirectories(tmp.resolve("work")));
    Random rnd = new Random(44);
    List<float[]> vectors = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      float[] v = RandomVectors.unit(rnd, DIM);
      float length = 0.2f + 5 * rnd.nextFloat(); // lengths as an unnormalised embedding may have
      for (int d = 0; d < DIM; d++) {
        v[d] *= length;
      }
      vectors.add(v);
    }
    their.create("their_l2", "custom", "L2", rows(vectors, "/their/"));
    JsonNode before = their.snapshot("their_l2", "custom");
    float[] query = RandomVectors.unit(rnd, DIM);
    List<String> l2Order = new ArrayList<>();
    their.search("their_l2", "custom", List.of(query), 10).get(0).forEach(h -> l2Order.add(h.get("filepath")
        .asText()));
    // the reference: cosine over the source's vectors, by brute force
    List<Integer> byCosine = new ArrayList<>(java.util.stream.IntStream.range(0, vectors.size()).boxed().toList());
    byCosine.sort(java.util.Comparator.comparingDouble(i -> -Vectors.cosine(query, vectors.get(i))));
    List<String> cosineOrder = byCosine.subList(0, 10).stream().map(i -> "/their/" + i + ".jpg").toList();
    assertNotEquals(cosineOrder, l2Order, "the test's data must make L2 and cosine disagree");

    Migration.Report report;
    try (MilvusVectorStore store = MilvusVectorStore.open(targetOptions(liteDir, "from_l2"))) {
      store.ensureCollection();
      SourceCollection from = store.source("their_l2", "embedding", "path");
      assertEquals("L2", from.metric());
      report = new Migration(from, store, "from_l2", (d, t, f, s) -> { }).run();
      assertEquals(200, report.copied());
      assertEquals("L2", report.summary().get("source_metric"));
      assertEquals("COSINE", report.summary().get("target_metric"));
      assertEquals(200L, report.summary().get("normalised"));
      assertTrue(report.summary().get("ranking").toString().startsWith("200 vectors were not of unit length and "
          + "were scaled to it on copy, as CLIP vectors are compared by cosine: results may come in another order "
          + "than the source's L2 ranking gave"), report.summary().toString());
      Map<String, float[]> copied = vectorsOf(store.source("from_l2", "vector", "filepath"));
      for (int i = 0; i < vectors.size(); i++) {
        float[] c = copied.get("/their/" + i + ".jpg");
        assertEquals(1.0, Math.sqrt(dot(c, c)), 1e-6, "unit length, row " + i);
        assertEquals(1.0, Vectors.cosine(c, vectors.get(i)), 1e-6, "the source's direction, row " + i);
      }
      List<Hit> hits = store.search(query, 10);
      assertEquals(cosineOrder, hits.stream().map(Hit::path).toList(), "the target ranks by cosine");
      assertEquals(Vectors.cosine(query, vectors.get(byCosine.get(0))), hits.get(0).score(), 1e-5);
    }
    assertTrue(report.sourceUnchanged(), report.summary().toString());
    assertEquals(before, their.snapshot("their_l2", "custom"), "the source keeps its own vectors");
  }

  @Test
  void anIpSourcesUnitVectorsAreCarriedOverBitForBit() throws Exception {
    Path liteDir = tmp.resolve("their.db");
    TutorialCode their = new TutorialCode(target(), liteDir, Files.createDirectories(tmp.resolve("work")));
    Random rnd = new Random(45);
    List<float[]> vectors = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      vectors.add(RandomVectors.unit(rnd, DIM));
    }
    their.create("their_ip", "custom", "IP", rows(vectors, "/ip/"));
    try (MilvusVectorStore store = MilvusVectorStore.open(targetOptions(liteDir, "from_ip"))) {
      store.ensureCollection();
      Migration.Report report = new Migration(store.source("their_ip", "embedding", "path"), store, "from_ip",
          (d, t, f, s) -> { }).run();
      assertEquals("IP", report.sourceMetric());
      assertEquals(0, report.normalised(), report.summary().toString());
      assertTrue(report.summary().get("ranking").toString().startsWith("no vector this run copied needed scaling"),
          report.summary().toString());
      Map<String, float[]> copied = vectorsOf(store.source("from_ip", "vector", "filepath"));
      for (int i = 0; i < vectors.size(); i++) {
        assertArrayEquals(vectors.get(i), copied.get("/ip/" + i + ".jpg"), "row " + i);
      }
    }
  }

  private StoreOptions targetOptions(Path liteDir, String collection) {
    return StoreConfigs.options(MODEL, StoreConfigs.with(target().settings(liteDir, collection),
        Map.of(Settings.ADOPT_COLLECTION, "true", Settings.INDEX, "FLAT")));
  }

  /** The rows as the tutorial's code inserts them: vector i at {@code prefix + i + ".jpg"}. */
  private static List<Map<String, Object>> rows(List<float[]> vectors, String prefix) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < vectors.size(); i++) {
      rows.add(TutorialCode.row(vectors.get(i), prefix + i + ".jpg"));
    }
    return rows;
  }

  /** Every row's vector by path, read back as migrate reads a source. */
  private static Map<String, float[]> vectorsOf(SourceCollection collection) {
    Map<String, float[]> out = new HashMap<>();
    collection.forEachPage(page -> page.forEach(r -> out.put(r.path(), r.vector())));
    return out;
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }
}
