package dev.clipsearch.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipsearch.config.Settings;
import dev.clipsearch.ingest.FolderIngest;
import dev.clipsearch.store.Hit;
import dev.clipsearch.store.MilvusVectorStore;
import dev.clipsearch.store.ModelStamp;
import dev.clipsearch.store.SourceCollection;
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
}
