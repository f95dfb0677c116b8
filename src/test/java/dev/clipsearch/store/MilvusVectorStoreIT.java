package dev.clipsearch.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.service.collection.request.ReleaseCollectionReq;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's data path against one real embedded Milvus Lite (each test uses its own collection). A second store
 * reaches the same server through its http:// URI, which exercises the remote-server path too.
 */
class MilvusVectorStoreIT {
  private static final int DIM = 32;
  @TempDir static Path tmp;
  private static MilvusVectorStore lite;

  @BeforeAll
  static void start() {
    lite = MilvusVectorStore.open(LiteSupport.liteOptions(tmp.resolve("milvus.db"), DIM));
  }

  @AfterAll
  static void stop() {
    if (lite != null) {
      lite.close();
    }
  }

  /** A store on the shared Lite server, through its http URI, on collection {@code name}. */
  private static MilvusVectorStore remote(String name, int dim) {
    StoreOptions o = StoreOptions.defaults(lite.lite().uri(), dim).withCollection(name);
    MilvusVectorStore s = MilvusVectorStore.open(o);
    s.ensureCollection();
    return s;
  }

  @Test
  void insertedImagesAreFoundByTheirOwnVectorFirst() {
    try (MilvusVectorStore s = remote("search_test", DIM)) {
      Random rnd = new Random(1);
      List<ImageRecord> rows = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        rows.add(new ImageRecord("/photos/img_" + i + ".jpg", LiteSupport.unit(rnd, DIM)));
      }
      assertEquals(200, s.insert(rows));
      for (int i : new int[] {0, 57, 199}) {
        List<Hit> hits = s.search(rows.get(i).vector(), 5);
        assertEquals(5, hits.size());
        assertEquals(rows.get(i).path(), hits.get(0).path());
        assertEquals(1.0f, hits.get(0).score(), 1e-4f);
        for (int h = 1; h < hits.size(); h++) {
          assertTrue(hits.get(h - 1).score() >= hits.get(h).score(), "best first: " + hits);
          assertTrue(hits.get(h).score() < 0.999f, "only one exact match: " + hits);
        }
      }
      assertTrue(s.describe().contains("collection search_test"), s.describe());
    }
  }

  @Test
  void existingPathsMatchesAwkwardPathsExactly() {
    List<String> awkward = List.of("/a/with \"double\" quotes.jpg", "/a/with 'single' quotes.jpg",
        "C:\\Users\\me\\back\\slash.png", "/trailing/backslash\\", "/ünïcödé/日本語/фото 1.jpg", "/spaces in/ name .jpg",
        "/new\nline\tand tab.jpg", "/emoji/😀.png");
    // each of these would match every row if it could end its string literal early
    String injection = "x\" or filepath != \"";
    try (MilvusVectorStore s = remote("paths_test", DIM)) {
      Random rnd = new Random(2);
      List<ImageRecord> rows = new ArrayList<>();
      for (String p : awkward) {
        rows.add(new ImageRecord(p, LiteSupport.unit(rnd, DIM)));
      }
      s.insert(rows);
      List<String> asked = new ArrayList<>(awkward);
      asked.addAll(List.of(injection, "x\\\" or filepath != \\\"", "/not/stored.jpg", "/a/with \"double\" quotes"));
      assertEquals(Set.copyOf(awkward), s.existingPaths(asked));
      assertEquals(Set.of(), s.existingPaths(List.of(injection)));
      assertEquals(Set.of(), s.existingPaths(List.of()));
      // paths come back intact from search too
      assertEquals(awkward.get(4), s.search(rows.get(4).vector(), 1).get(0).path());
      // more paths than fit one query
      List<String> many = new ArrayList<>();
      for (int i = 0; i < 250; i++) {
        many.add("/missing/" + i);
      }
      many.add(awkward.get(2));
      assertEquals(Set.of(awkward.get(2)), s.existingPaths(many));
    }
  }

  @Test
  void countAndDeleteByPath() {
    try (MilvusVectorStore s = remote("delete_test", DIM)) {
      Random rnd = new Random(3);
      assertEquals(0, s.count());
      String dup = "/dup/\"same\".jpg";
      s.insert(List.of(new ImageRecord(dup, LiteSupport.unit(rnd, DIM)),
          new ImageRecord(dup, LiteSupport.unit(rnd, DIM)),
          new ImageRecord("/keep.jpg", LiteSupport.unit(rnd, DIM))));
      assertEquals(3, s.count());
      assertEquals(2, s.deleteByPath(dup));
      assertEquals(1, s.count());
      assertEquals(Set.of("/keep.jpg"), s.existingPaths(List.of(dup, "/keep.jpg")));
      assertEquals(0, s.deleteByPath("/never/stored.jpg"));
      assertEquals("/keep.jpg", s.search(LiteSupport.unit(rnd, DIM), 10).get(0).path());
    }
  }

  @Test
  void anExistingCollectionOfAnotherDimensionIsRefusedWithAHint() {
    try (MilvusVectorStore s = remote("dim_test", 16)) {
      assertEquals(0, s.count());
    }
    StoreOptions other = StoreOptions.defaults(lite.lite().uri(), 24).withCollection("dim_test");
    try (MilvusVectorStore s = MilvusVectorStore.open(other)) {
      StoreException e = assertThrows(StoreException.class, s::ensureCollection);
      assertEquals("collection dim_test holds 16-d vectors, model gives 24-d; use --collection to keep this model's "
          + "vectors in another collection", e.getMessage());
    }
  }

  @Test
  void callerMistakesAreCaughtBeforeTheServerSeesThem() {
    try (MilvusVectorStore s = remote("validation_test", DIM)) {
      Random rnd = new Random(4);
      assertThrows(IllegalArgumentException.class,
          () -> s.insert(List.of(new ImageRecord("/short.jpg", new float[DIM - 1]))));
      assertThrows(IllegalArgumentException.class, () -> s.insert(List.of(new ImageRecord("", LiteSupport.unit(rnd,
          DIM)))));
      assertThrows(IllegalArgumentException.class,
          () -> s.insert(List.of(new ImageRecord("/long/" + "x".repeat(4096), LiteSupport.unit(rnd, DIM)))));
      float[] nan = LiteSupport.unit(rnd, DIM);
      nan[3] = Float.NaN;
      assertThrows(IllegalArgumentException.class, () -> s.search(nan, 3));
      assertThrows(IllegalArgumentException.class, () -> s.search(LiteSupport.unit(rnd, DIM), 0));
      assertEquals(0, s.count(), "nothing of a rejected batch is stored");
      assertEquals(0, s.insert(List.of()));
    }
  }

  @Test
  void aMissingCollectionGivesAStoreExceptionNamingIt() {
    StoreOptions o = StoreOptions.defaults(lite.lite().uri(), DIM).withCollection("never_created");
    try (MilvusVectorStore s = MilvusVectorStore.open(o)) {
      StoreException e = assertThrows(StoreException.class, s::count);
      assertTrue(e.getMessage().contains("never_created"), e.getMessage());
    }
  }

  @Test
  void aLiteErrorTheSdkCannotDecodeBecomesARejection() {
    try (MilvusVectorStore s = remote("released_test", DIM)) {
      // an unloaded collection: Lite answers with legacy error_code 101, which the SDK's enum lacks (milvus.md §3.4 #2)
      MilvusClientV2 raw = Clients.connect(lite.lite().uri(), lite.options(), Duration.ofSeconds(10), true);
      try {
        raw.releaseCollection(ReleaseCollectionReq.builder().collectionName("released_test").build());
      } finally {
        Clients.closeQuietly(raw);
      }
      StoreException e = assertThrows(StoreException.class, () -> s.search(new float[DIM], 1));
      assertTrue(e.getMessage().contains("rejected the request to search released_test"), e.getMessage());
      s.ensureCollection(); // loads it again
      assertEquals(0, s.count());
    }
  }

  @Test
  void theEmbeddedStoreWorksThroughItsOwnLiteServer() {
    lite.ensureCollection();
    lite.ensureCollection(); // idempotent
    Random rnd = new Random(5);
    float[] v = LiteSupport.unit(rnd, DIM);
    lite.insert(List.of(new ImageRecord("/embedded.jpg", v)));
    assertEquals(1, lite.count());
    assertEquals("/embedded.jpg", lite.search(v, 1).get(0).path());
    assertTrue(lite.describe().startsWith("Milvus Lite 3."), lite.describe());
  }
}
