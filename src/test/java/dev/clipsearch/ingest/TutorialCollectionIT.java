package dev.clipsearch.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipsearch.config.Setting;
import dev.clipsearch.config.Settings;
import dev.clipsearch.embedding.BulkEmbedder;
import dev.clipsearch.embedding.ClipEncoder;
import dev.clipsearch.model.runtime.ClipModel;
import dev.clipsearch.search.ClipSearchService;
import dev.clipsearch.store.Hit;
import dev.clipsearch.store.ImageRecord;
import dev.clipsearch.store.MilvusVectorStore;
import dev.clipsearch.store.ModelStamp;
import dev.clipsearch.store.ReadOnlyCollectionException;
import dev.clipsearch.store.SearchFilter;
import dev.clipsearch.store.StoreException;
import dev.clipsearch.store.StoredImage;
import dev.clipsearch.testing.Encoders;
import dev.clipsearch.testing.SharedData;
import dev.clipsearch.testing.StoreConfigs;
import dev.clipsearch.testing.StoreTarget;
import dev.clipsearch.testing.TutorialCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A collection made by the Milvus tutorial's own Python calls (issue 24), with vectors of the tiny CLIP model: served
 * as it is (search results identical to the tutorial's own search: ids, order, distances), its model recorded on
 * first use only when the user confirms it, extended in its own shape without touching the old rows, and another
 * team's schema (own key, other field names, L2) served through the field options. The steps share the
 * collections, so they run in order. {@link TutorialCollectionServerIT} runs them against a Milvus standalone.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TutorialCollectionIT {
  private static final long LIMIT = 1 << 20;
  private static final Path CIFAR = SharedData.root().resolve("data/cifar10-test");
  private static final int K = 10;
  /** Images the tutorial's code embedded; the rest of each class is new to the collection. */
  private static final int TUTORIAL_PER_CLASS = 12;
  @TempDir static Path tmp;
  Path dir;
  Path liteDir;
  ClipModel model;
  ClipEncoder encoder;
  ModelStamp stamp;
  TutorialCode tutorial;
  final List<Path> images = new ArrayList<>();
  List<float[]> queries;

  StoreTarget target() {
    return StoreTarget.LITE;
  }

  @BeforeAll
  void start() throws Exception {
    model = Encoders.tinyModelOnCpu();
    encoder = Encoders.batching16(model);
    stamp = ModelStamp.ofFile(SharedData.tinyClipModel(), model.spec().name(), model.spec().embedDim());
    liteDir = tmp.resolve("tutorial.db");
    tutorial = new TutorialCode(target(), liteDir, Files.createDirectories(tmp.resolve("work")));
    dir = Files.createDirectories(tmp.resolve("photos"));
    List<Map<String, Object>> rows = new ArrayList<>();
    for (String cls : List.of("dog", "cat")) {
      Path to = Files.createDirectories(dir.resolve(cls));
      for (int i = 0; i < 16; i++) {
        Path image = Files.copy(CIFAR.resolve(cls).resolve(String.format("%04d.jpg", i)), to.resolve(i + ".jpg"));
        images.add(image);
        if (i < TUTORIAL_PER_CLASS) {
          rows.add(TutorialCode.row(encoder.encodeImage(Files.readAllBytes(image)), image.toString()));
        }
      }
    }
    tutorial.create("tutorial_image_collection", "tutorial", rows);
    tutorial.create("their_schema", "custom", rows);
    queries = List.of(encoder.encodeText("a photo of a dog"), encoder.encodeText("a photo of a cat"),
        encoder.encodeImage(Files.readAllBytes(CIFAR.resolve("dog/0100.jpg"))));
  }

  @AfterAll
  void stop() {
    for (AutoCloseable c : new AutoCloseable[] {encoder, model}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // best effort in teardown
      }
    }
  }

  /** A store on {@code collection} with these settings besides the target's; the caller closes it. */
  MilvusVectorStore open(String collection, Map<Setting<?>, String> more) {
    MilvusVectorStore s = MilvusVectorStore.open(StoreConfigs.options(stamp,
        StoreConfigs.with(target().settings(liteDir, collection), more)));
    try {
      s.ensureCollection();
      return s;
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
  }

  static void assertSameHits(JsonNode expected, List<Hit> actual, String what) {
    assertEquals(expected.size(), actual.size(), what + ": " + actual);
    for (int i = 0; i < actual.size(); i++) {
      JsonNode e = expected.get(i);
      Hit a = actual.get(i);
      String at = what + ", rank " + i + ": expected " + e + ", got " + a;
      assertEquals(e.get("id").asLong(), a.id(), at);
      assertEquals(e.get("filepath").asText(), a.path(), at);
      assertEquals((float) e.get("distance").asDouble(), a.score(), at);
    }
  }

  @Test
  @Order(1)
  void itsFirstUseIsRefusedUntilTheUserConfirmsTheModelAndNothingIsChangedMeanwhile() {
    JsonNode before = tutorial.snapshot("tutorial_image_collection", "tutorial");
    StoreException e = assertThrows(StoreException.class, () -> open("tutorial_image_collection", Map.of()).close());
    assertTrue(e.getMessage().startsWith("collection tutorial_image_collection does not record which model made its "
        + "vectors (it was made by other code, such as the Milvus tutorial's)"), e.getMessage());
    assertTrue(e.getMessage().contains("--adopt-collection"), e.getMessage());
    assertEquals(before, tutorial.snapshot("tutorial_image_collection", "tutorial"));
    assertEquals(2 * TUTORIAL_PER_CLASS, before.get("count").asInt());
  }

  @Test
  @Order(2)
  void searchByTextAndImageGivesTheTutorialsOwnResults() throws Exception {
    JsonNode expected = tutorial.search("tutorial_image_collection", "tutorial", queries, K);
    JsonNode before = tutorial.snapshot("tutorial_image_collection", "tutorial");
    try (MilvusVectorStore store = open("tutorial_image_collection", Map.of(Settings.ADOPT_COLLECTION, "true"))) {
      ClipSearchService search = new ClipSearchService(encoder, store);
      assertSameHits(expected.get(0), search.byText("a photo of a dog", K), "text 'a photo of a dog'");
      assertSameHits(expected.get(1), search.byText("a photo of a cat", K), "text 'a photo of a cat'");
      assertSameHits(expected.get(2), search.byImage(Files.readAllBytes(CIFAR.resolve("dog/0100.jpg")), K),
          "image dog/0100.jpg");
      assertEquals(2 * TUTORIAL_PER_CLASS, store.count());
      List<Hit> dogs = store.search(queries.get(0), K, SearchFilter.under(dir.resolve("dog").toString()));
      assertEquals(K, dogs.size());
      assertTrue(dogs.stream().allMatch(h -> h.path().startsWith(dir.resolve("dog") + "/")), dogs.toString());
    }
    JsonNode after = tutorial.snapshot("tutorial_image_collection", "tutorial");
    assertEquals(before, after, "serving changes no row");
    try (MilvusVectorStore store = open("tutorial_image_collection", Map.of())) {
      assertEquals(2 * TUTORIAL_PER_CLASS, store.count(), "the model is recorded now: no flag needed any more");
    }
  }

  @Test
  @Order(3)
  void ingestAddsRowsInTheCollectionsOwnShapeAndLeavesTheOldRowsAsTheyAre() throws Exception {
    List<String> old = images.stream().filter(p -> Integer.parseInt(p.getFileName().toString().split("\\.")[0])
        < TUTORIAL_PER_CLASS).map(Path::toString).toList();
    try (MilvusVectorStore store = open("tutorial_image_collection", Map.of())) {
      List<StoredImage> oldRows = store.lookup(old);
      assertEquals(old.size(), oldRows.size());
      assertTrue(oldRows.stream().allMatch(StoredImage::recordsNoFileFacts), oldRows.toString());
      IngestReport first = ingest(store);
      assertEquals(images.size() - old.size(), first.inserted(), first.toString());
      assertEquals(old.size(), first.skipped(), "a stored path counts as present: " + first);
      assertEquals(List.of(), first.failed());
      assertEquals(images.size(), store.count());
      assertEquals(oldRows, store.lookup(old), "old rows untouched");
      IngestReport again = ingest(store);
      assertEquals(0, again.inserted() + again.updated(), again.toString());
      assertEquals(images.size(), store.count(), "a re-run duplicates nothing");
      StoredImage added = store.lookup(List.of(dir.resolve("dog/15.jpg").toString())).get(0);
      assertTrue(added.sha256().matches("[0-9a-f]{64}"), "file facts kept in the dynamic field: " + added);
      assertEquals(Files.size(dir.resolve("dog/15.jpg")), added.sizeBytes());
    }
    // The tutorial's own search reads the new rows: vector and filepath where its code looks for them.
    float[] newDog = encoder.encodeImage(Files.readAllBytes(dir.resolve("dog/15.jpg")));
    JsonNode hits = tutorial.search("tutorial_image_collection", "tutorial", List.of(newDog), 1);
    assertEquals(dir.resolve("dog/15.jpg").toString(), hits.get(0).get(0).get("filepath").asText());
  }

  @Test
  @Order(4)
  void anotherSchemaIsServedThroughTheFieldOptionsWithItsOwnKeysAndMetric() throws Exception {
    JsonNode expected = tutorial.search("their_schema", "custom", queries, K);
    JsonNode before = tutorial.snapshot("their_schema", "custom");
    Map<Setting<?>, String> fields = Map.of(Settings.VECTOR_FIELD, "embedding", Settings.PATH_FIELD, "path",
        Settings.ADOPT_COLLECTION, "true");
    StoreException unmapped = assertThrows(StoreException.class, () -> open("their_schema", Map.of()).close());
    assertTrue(unmapped.getMessage().startsWith("collection their_schema has no FloatVector field 'vector' (its vector "
        + "fields: [embedding]); name it with --vector-field"), unmapped.getMessage());
    try (MilvusVectorStore store = open("their_schema", fields)) {
      for (int q = 0; q < queries.size(); q++) {
        List<Hit> hits = store.search(queries.get(q), K);
        assertSameHits(expected.get(q), hits, "query " + q + " (L2: nearest first)");
        assertTrue(hits.get(0).id() >= 1000, "their own keys: " + hits);
      }
      // Read-only for clip-search (its keys are not auto_id): every way in is refused with the reason, before
      // anything is read, embedded or written, and searching goes on.
      String reason = "collection their_schema is read-only for clip-search: its primary key 'pk' is not auto_id";
      ReadOnlyCollectionException insert = assertThrows(ReadOnlyCollectionException.class,
          () -> store.insert(List.of(new ImageRecord("/new.jpg", queries.get(0)))));
      assertTrue(insert.getMessage().startsWith(reason), insert.getMessage());
      Path upload = Files.copy(CIFAR.resolve("ship/0000.jpg"), tmp.resolve("upload.jpg"));
      ReadOnlyCollectionException uploaded = assertThrows(ReadOnlyCollectionException.class,
          () -> new ClipIngestService(encoder, store).ingestFile(upload, "a ship"));
      assertTrue(uploaded.getMessage().startsWith(reason), uploaded.getMessage());
      List<Integer> progress = new ArrayList<>();
      FolderIngest folder = new FolderIngest(new BulkEmbedder(encoder, 2, LIMIT), store,
          (d, t, f, sec) -> progress.add(d));
      ReadOnlyCollectionException ingested = assertThrows(ReadOnlyCollectionException.class,
          () -> folder.run(dir, new IngestOptions(false, false, LIMIT, List.of())));
      assertTrue(ingested.getMessage().contains("clip-search migrate --from their_schema"), ingested.getMessage());
      assertEquals(List.of(), progress, "refused before the folder was listed");
      assertEquals(2 * TUTORIAL_PER_CLASS, store.count());
      assertSameHits(expected.get(0), store.search(queries.get(0), K), "search after the refusals");
    }
    assertEquals(before, tutorial.snapshot("their_schema", "custom"), "the refusals changed no row");
  }

  IngestReport ingest(MilvusVectorStore store) throws InterruptedException {
    FolderIngest ingest = new FolderIngest(new BulkEmbedder(encoder, 2, LIMIT), store, (d, t, f, s) -> { });
    return ingest.run(dir, new IngestOptions(false, false, LIMIT, List.of()));
  }
}
