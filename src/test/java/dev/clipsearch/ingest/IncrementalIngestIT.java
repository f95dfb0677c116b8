package dev.clipsearch.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.batching.BatchPolicy;
import dev.clipsearch.embedding.BulkEmbedder;
import dev.clipsearch.embedding.ClipEncoder;
import dev.clipsearch.model.ModelSpec;
import dev.clipsearch.model.runtime.ClipModel;
import dev.clipsearch.model.runtime.ComputeDevice;
import dev.clipsearch.model.runtime.DeviceRequest;
import dev.clipsearch.model.runtime.DeviceSelector;
import dev.clipsearch.store.Hit;
import dev.clipsearch.store.ImageRecord;
import dev.clipsearch.store.MilvusVectorStore;
import dev.clipsearch.store.ModelStamp;
import dev.clipsearch.store.SearchFilter;
import dev.clipsearch.store.StoredImage;
import dev.clipsearch.testing.Encoders;
import dev.clipsearch.testing.SharedData;
import dev.clipsearch.testing.StoreConfigs;
import dev.clipsearch.testing.StoreTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Folder and HTTP ingest with the tiny CLIP model against a real embedded Milvus Lite: bad files, skipping unchanged
 * files, replacing changed ones, dry run, prune, repairing duplicates, filtered search. The steps share one folder
 * and one collection, so they run in order. {@link IncrementalIngestServerIT} runs them against a Milvus standalone.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IncrementalIngestIT {
  private static final long LIMIT = 1 << 20;
  private static final Path CIFAR = SharedData.root().resolve("data/cifar10-test");
  @TempDir static Path tmp;
  static Path dir;
  static ClipModel model;
  static ClipEncoder encoder;
  static MilvusVectorStore store;

  StoreTarget target() {
    return StoreTarget.LITE;
  }

  @BeforeAll
  void start() throws Exception {
    Path file = SharedData.tinyClipModel();
    ModelSpec spec = ModelSpec.forModel(file);
    model = ClipModel.load(file, spec, DeviceSelector.select(DeviceRequest.CPU, ComputeDevice.Precision.FP32, 2, 1), 16);
    encoder = Encoders.of(model, new BatchPolicy(16, 2_000_000), new BatchPolicy(16, 2_000_000),
        1024, 64);
    store = MilvusVectorStore.open(StoreConfigs.options(ModelStamp.ofFile(file, spec.name(), spec.embedDim()),
        target().settings(tmp.resolve("milvus"), "incremental_ingest")));
    store.ensureCollection();
    dir = Files.createDirectories(tmp.resolve("photos"));
    for (String cls : List.of("dog", "cat")) {
      Path to = Files.createDirectories(dir.resolve(cls + "_2024")); // "_" would be a LIKE wildcard
      for (int i = 0; i < 20; i++) {
        Files.copy(CIFAR.resolve(cls).resolve(String.format("%04d.jpg", i)), to.resolve(i + ".jpg"));
      }
    }
  }

  @AfterAll
  void stop() {
    for (AutoCloseable c : new AutoCloseable[] {store, encoder, model}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // best effort in teardown
      }
    }
  }

  static IngestReport ingest(boolean prune, boolean dryRun) throws InterruptedException {
    FolderIngest ingest = new FolderIngest(new BulkEmbedder(encoder, 2, LIMIT), store, (d, t, f, s) -> { });
    return ingest.run(dir, new IngestOptions(prune, dryRun, LIMIT, List.of("set1")));
  }

  static StoredImage only(Path file) {
    List<StoredImage> rows = store.lookup(List.of(file.toString()));
    assertEquals(1, rows.size(), "exactly one row for " + file + ": " + rows);
    return rows.get(0);
  }

  @Test
  @Order(1)
  void badFilesAreSkippedWithTheirReasonAndGoodOnesStoredWithTheirHash() throws Exception {
    Path bad = Files.createDirectories(dir.resolve("bad"));
    Files.write(bad.resolve("empty.jpg"), new byte[0]);
    byte[] jpeg = Files.readAllBytes(CIFAR.resolve("dog/0000.jpg"));
    Files.write(bad.resolve("truncated.jpg"), java.util.Arrays.copyOf(jpeg, jpeg.length / 3));
    Files.writeString(bad.resolve("notes.png"), "not a picture");
    byte[] big = new byte[(int) LIMIT + 1];
    new Random(1).nextBytes(big);
    Files.write(bad.resolve("huge.jpg"), big);

    IngestReport r = ingest(false, false);
    assertEquals(40, r.inserted());
    assertEquals(40, store.count());
    assertEquals(4, r.failed().size(), r.failed().toString());
    assertReason(r, "empty.jpg", "empty file");
    assertReason(r, "truncated.jpg", "BadImageException");
    assertReason(r, "notes.png", "BadImageException");
    assertReason(r, "huge.jpg", "over the 1048576-byte limit");
    Path dog = dir.resolve("dog_2024/3.jpg");
    StoredImage row = only(dog);
    assertEquals(Content.sha256(Files.readAllBytes(dog)), row.sha256());
    assertEquals(Files.size(dog), row.sizeBytes());
    assertEquals(Files.getLastModifiedTime(dog).toMillis(), row.mtimeMs());
    deleteTree(bad); // the rest of the steps count clean files only
  }

  private static void assertReason(IngestReport r, String file, String reason) {
    assertTrue(r.failed().stream().anyMatch(f -> f.path().endsWith("/" + file) && f.reason().contains(reason)),
        file + " should fail with '" + reason + "': " + r.failed());
  }

  @Test
  @Order(2)
  void aSecondRunStoresNothingAndReadsNoUnchangedFile() throws Exception {
    // same size and mtime, other bytes: only a run that reads unchanged files would notice
    Path sneaky = dir.resolve("cat_2024/5.jpg");
    FileTime mtime = Files.getLastModifiedTime(sneaky);
    byte[] b = Files.readAllBytes(sneaky);
    b[b.length - 3] ^= 1;
    Files.write(sneaky, b);
    Files.setLastModifiedTime(sneaky, mtime);
    String shaBefore = only(sneaky).sha256();

    IngestReport r = ingest(false, false);
    assertEquals(0, r.inserted() + r.updated());
    assertEquals(40, r.skipped());
    assertEquals(40, store.count());
    assertEquals(shaBefore, only(sneaky).sha256(), "not re-read");
  }

  @Test
  @Order(3)
  void aTouchedFileIsHashedButKeepsItsRowAndAChangedFileReplacesItsRow() throws Exception {
    Path touched = dir.resolve("dog_2024/1.jpg");
    StoredImage touchedBefore = only(touched);
    Files.setLastModifiedTime(touched, FileTime.fromMillis(touchedBefore.mtimeMs() + 60_000));
    Path changed = dir.resolve("dog_2024/2.jpg");
    StoredImage changedBefore = only(changed);
    Files.copy(CIFAR.resolve("cat/0099.jpg"), changed, StandardCopyOption.REPLACE_EXISTING);

    IngestReport r = ingest(false, false);
    assertEquals(1, r.updated());
    assertEquals(39, r.skipped());
    assertEquals(40, store.count());
    assertEquals(touchedBefore.id(), only(touched).id(), "same content: the row is kept, nothing re-embedded");
    StoredImage after = only(changed);
    assertNotEquals(changedBefore.id(), after.id());
    assertEquals(Content.sha256(Files.readAllBytes(changed)), after.sha256());
  }

  @Test
  @Order(4)
  void dryRunReportsWhatWouldHappenAndChangesNothing() throws Exception {
    Files.delete(dir.resolve("cat_2024/18.jpg"));
    Files.delete(dir.resolve("cat_2024/19.jpg"));
    Files.copy(CIFAR.resolve("bird/0000.jpg"), dir.resolve("cat_2024/bird.jpg"));
    IngestReport r = ingest(true, true);
    assertTrue(r.dryRun());
    assertEquals(1, r.inserted());
    assertEquals(2, r.pruned());
    assertEquals(40, store.count(), "a dry run writes nothing");
    assertEquals(List.of(), store.lookup(List.of(dir.resolve("cat_2024/bird.jpg").toString())));
  }

  @Test
  @Order(5)
  void pruneRemovesTheRowsOfDeletedFilesOnly() throws Exception {
    IngestReport r = ingest(true, false);
    assertEquals(1, r.inserted());
    assertEquals(2, r.pruned());
    assertEquals(39, store.count());
    List<StoredImage> under = store.under(dir.toString());
    assertEquals(39, under.stream().map(StoredImage::path).distinct().count());
    assertTrue(under.stream().allMatch(s -> Files.exists(Path.of(s.path()))));
  }

  @Test
  @Order(6)
  void duplicateRowsOfOnePathAreRepairedByTheNextRun() throws Exception {
    Path dog = dir.resolve("dog_2024/7.jpg");
    StoredImage kept = only(dog);
    // what a crash after an insert whose acknowledgement was lost could leave: a second, older row for the path
    store.insert(List.of(new ImageRecord(dog.toString(), encoder.encodeText("stale"), "", 0, 0, 1, 1, 1, List.of())));
    assertEquals(2, store.lookup(List.of(dog.toString())).size());
    IngestReport r = ingest(false, false);
    assertEquals(1, r.repaired());
    assertEquals(kept.id(), only(dog).id());
    assertEquals(39, store.count());
  }

  @Test
  @Order(7)
  void searchCanBeLimitedToAFolderAndALabel() {
    float[] q = encoder.encodeText("a photo of a dog");
    List<Hit> all = store.search(q, 50, SearchFilter.under(dir.resolve("cat_2024").toString()));
    assertEquals(19, all.size());
    assertTrue(all.stream().allMatch(h -> h.path().startsWith(dir.resolve("cat_2024") + "/")));
    assertEquals(39, store.search(q, 50, new SearchFilter(null, "set1")).size());
    assertEquals(List.of(), store.search(q, 50, new SearchFilter(null, "other")));
  }

  @Test
  @Order(8)
  void httpIngestUsesTheSameRecordsAndDedupesByContent() throws Exception {
    ClipIngestService http = new ClipIngestService(encoder, store);
    Path uploads = Files.createDirectories(tmp.resolve("uploads/abc"));
    Path again = Files.copy(dir.resolve("dog_2024/3.jpg"), uploads.resolve("same-photo.jpg"));
    String status = http.ingestFile(again);
    assertTrue(status.startsWith("already stored: same-photo.jpg (same content as "), status);
    assertEquals(39, store.count());
    Path fresh = Files.copy(CIFAR.resolve("ship/0000.jpg"), uploads.resolve("ship.jpg"));
    assertTrue(http.ingestFile(fresh).startsWith("stored ship.jpg"));
    StoredImage row = only(fresh);
    assertEquals(Content.sha256(Files.readAllBytes(fresh)), row.sha256());
    assertEquals(Files.size(fresh), row.sizeBytes());
    assertTrue(http.ingestFile(fresh).startsWith("already stored: ship.jpg"));
    assertEquals(40, store.count());
  }

  private static void deleteTree(Path p) throws Exception {
    try (var walk = Files.walk(p)) {
      for (Path f : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }
}
