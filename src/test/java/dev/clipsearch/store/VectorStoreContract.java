package dev.clipsearch.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What every {@link VectorStore} must do, run against Milvus Lite ({@link MilvusVectorStoreIT}) and against the
 * test double ({@link InMemoryVectorStoreTest}), so the double cannot drift from the real thing.
 */
abstract class VectorStoreContract {
  static final int DIM = 32;

  /** A store on a fresh, not yet created collection of {@code dimension}-d vectors. */
  abstract VectorStore open(int dimension);

  private VectorStore ready() {
    VectorStore s = open(DIM);
    s.ensureCollection();
    return s;
  }

  @Test
  void insertedImagesAreFoundByTheirOwnVectorFirst() {
    try (VectorStore s = ready()) {
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
      assertEquals(200, s.search(rows.get(0).vector(), 1000).size(), "k beyond the row count returns all rows");
    }
  }

  @Test
  void existingPathsMatchesAwkwardPathsExactly() {
    List<String> awkward = List.of("/a/with \"double\" quotes.jpg", "/a/with 'single' quotes.jpg",
        "C:\\Users\\me\\back\\slash.png", "/trailing/backslash\\", "/ünïcödé/日本語/фото 1.jpg",
        "/spaces in/ name .jpg",
        "/new\nline\tand tab.jpg", "/emoji/😀.png");
    // would match every row if it could end its string literal early
    String injection = "x\" or filepath != \"";
    try (VectorStore s = ready()) {
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
      assertEquals(awkward.get(4), s.search(rows.get(4).vector(), 1).get(0).path(), "paths come back intact");
      List<String> many = new ArrayList<>(); // more paths than one query carries
      for (int i = 0; i < 250; i++) {
        many.add("/missing/" + i);
      }
      many.add(awkward.get(2));
      assertEquals(Set.of(awkward.get(2)), s.existingPaths(many));
    }
  }

  @Test
  void countAndDeleteByPath() {
    try (VectorStore s = ready()) {
      Random rnd = new Random(3);
      assertEquals(0, s.count());
      assertEquals(List.of(), s.search(LiteSupport.unit(rnd, DIM), 3));
      String dup = "/dup/\"same\".jpg";
      s.insert(List.of(new ImageRecord(dup, LiteSupport.unit(rnd, DIM)), new ImageRecord(dup, LiteSupport.unit(rnd,
          DIM)), new ImageRecord("/keep.jpg", LiteSupport.unit(rnd, DIM))));
      assertEquals(3, s.count());
      assertEquals(2, s.deleteByPath(dup));
      assertEquals(1, s.count());
      assertEquals(Set.of("/keep.jpg"), s.existingPaths(List.of(dup, "/keep.jpg")));
      assertEquals(0, s.deleteByPath("/never/stored.jpg"));
      assertEquals(List.of("/keep.jpg"), s.search(LiteSupport.unit(rnd, DIM), 10).stream().map(Hit::path).toList());
    }
  }

  /** Vectors and paths are checked by the store; k is checked once where a request enters (search/Query). */
  @Test
  void callerMistakesAreIllegalArgumentsAndStoreNothing() {
    try (VectorStore s = ready()) {
      Random rnd = new Random(4);
      float[] ok = LiteSupport.unit(rnd, DIM);
      assertThrows(IllegalArgumentException.class,
          () -> s.insert(List.of(new ImageRecord("/fine.jpg", ok), new ImageRecord("/short.jpg", new float[DIM - 1]))));
      assertThrows(IllegalArgumentException.class, () -> s.insert(List.of(new ImageRecord("", ok))));
      float[] nan = ok.clone();
      nan[3] = Float.NaN;
      assertThrows(IllegalArgumentException.class, () -> s.insert(List.of(new ImageRecord("/nan.jpg", nan))));
      assertThrows(IllegalArgumentException.class, () -> s.search(nan, 3));
      assertThrows(IllegalArgumentException.class, () -> s.search(new float[DIM + 1], 3));
      assertEquals(0, s.count(), "nothing of a rejected batch is stored");
      assertEquals(0, s.insert(List.of()));
    }
  }

  @Test
  void unpreparedOrClosedStoresThrowStoreExceptions() {
    VectorStore s = open(DIM);
    try {
      assertThrows(StoreException.class, s::count, "no collection before ensureCollection");
      s.ensureCollection();
      s.ensureCollection(); // idempotent
      assertEquals(0, s.count());
    } finally {
      s.close();
    }
    assertThrows(StoreException.class, s::count);
    s.close(); // idempotent
  }

  private static ImageRecord full(String path, float[] v, String sha, long size, long mtime, long at,
      List<String> labels) {
    return new ImageRecord(path, v, sha, 64, 48, size, mtime, at, labels);
  }

  @Test
  void lookupGivesTheMetadataOfEveryRowOfAPathAndDeleteIdsRemovesExactlyThose() {
    try (VectorStore s = ready()) {
      Random rnd = new Random(8);
      String sha = "0123456789abcdef".repeat(4);
      s.insert(List.of(full("/m/a.jpg", LiteSupport.unit(rnd, DIM), sha, 1234, 5678, 42, List.of()),
          full("/m/a.jpg", LiteSupport.unit(rnd, DIM), "f".repeat(64), 1, 2, 43, List.of()),
          full("/m/b.jpg", LiteSupport.unit(rnd, DIM), sha, 7, 8, 44, List.of())));
      List<StoredImage> a = s.lookup(List.of("/m/a.jpg", "/m/none.jpg")).stream()
          .sorted(java.util.Comparator.comparingLong(StoredImage::ingestedAt)).toList();
      assertEquals(2, a.size(), "both rows of a duplicated path: " + a);
      assertEquals(new StoredImage(a.get(0).id(), "/m/a.jpg", sha, 1234, 5678, 42), a.get(0));
      assertEquals(Set.of("/m/a.jpg", "/m/b.jpg"),
          Set.copyOf(s.withContent(sha).stream().map(StoredImage::path).toList()));
      assertEquals(List.of(), s.withContent("e".repeat(64)));
      s.deleteIds(List.of(a.get(1).id()));
      assertEquals(List.of(a.get(0)), s.lookup(List.of("/m/a.jpg")));
      assertEquals(2, s.count());
      assertEquals(0, s.deleteIds(List.of()));
    }
  }

  @Test
  void underListsEveryRowBelowAFolderAtAnyDepthAndNothingBesideIt() {
    try (VectorStore s = ready()) {
      Random rnd = new Random(9);
      List<ImageRecord> rows = new ArrayList<>();
      for (int i = 0; i < 1100; i++) { // more than one page of the listing
        rows.add(new ImageRecord("/lib/my_photos/" + (i % 3 == 0 ? "deep/er/" : "") + i + ".jpg",
            LiteSupport.unit(rnd, DIM)));
      }
      // beside the folder: "_" and "%" must not act as LIKE wildcards, a longer name must not match its prefix
      for (String p : List.of("/lib/myXphotos/1.jpg", "/lib/my_photos-old/2.jpg", "/lib/my_photos", "/lib/my%/3.jpg")) {
        rows.add(new ImageRecord(p, LiteSupport.unit(rnd, DIM)));
      }
      s.insert(rows);
      List<StoredImage> under = s.under("/lib/my_photos");
      assertEquals(1100, under.size());
      assertEquals(1100, under.stream().map(StoredImage::path).distinct().count());
      assertTrue(under.stream().allMatch(r -> r.path().startsWith("/lib/my_photos/")));
      assertEquals(1100, s.under("/lib/my_photos/").size(), "a trailing slash changes nothing");
      assertEquals(1, s.under("/lib/my%").size());
      assertEquals(List.of(), s.under("/nowhere"));
    }
  }

  @Test
  void searchCanBeLimitedToAFolderAndALabel() {
    try (VectorStore s = ready()) {
      Random rnd = new Random(10);
      float[] q = LiteSupport.unit(rnd, DIM);
      s.insert(List.of(full("/photos/2023/best.jpg", q, "", 1, 1, 1, List.of("cat")),
          full("/photos/2024/a.jpg", LiteSupport.unit(rnd, DIM), "", 1, 1, 1, List.of("dog", "park")),
          full("/photos/2024/trip/b.jpg", LiteSupport.unit(rnd, DIM), "", 1, 1, 1, List.of("cat")),
          full("/photos/2024-old/c.jpg", LiteSupport.unit(rnd, DIM), "", 1, 1, 1, List.of())));
      assertEquals("/photos/2023/best.jpg", s.search(q, 1).get(0).path());
      assertEquals(Set.of("/photos/2024/a.jpg", "/photos/2024/trip/b.jpg"), paths(s.search(q, 10,
          SearchFilter.under("/photos/2024"))));
      assertEquals(Set.of("/photos/2024/trip/b.jpg"), paths(s.search(q, 10,
          SearchFilter.under("/photos/2024").withLabel("cat"))));
      assertEquals(Set.of("/photos/2023/best.jpg", "/photos/2024/trip/b.jpg"),
          paths(s.search(q, 10, new SearchFilter(null, "cat"))));
      List<Hit> hits = s.search(q, 10, SearchFilter.under("/photos"));
      assertEquals(4, hits.size());
      assertEquals(1.0f, hits.get(0).score(), 1e-4f, "filtered hits still carry their score");
    }
  }

  @Test
  void aCaptionIsStoredAndComesBackWithTheHit() {
    try (VectorStore s = ready()) {
      Random rnd = new Random(11);
      float[] q = LiteSupport.unit(rnd, DIM);
      s.insert(List.of(new ImageRecord("/up/cat.jpg", q, "", 1, 1, 1, 1, 1, List.of(), "  my cat, asleep "),
          new ImageRecord("/up/dog.jpg", LiteSupport.unit(rnd, DIM))));
      List<Hit> hits = s.search(q, 2);
      assertEquals("my cat, asleep", hits.get(0).caption(), "stored without the surrounding blanks");
      assertEquals("", hits.get(1).caption(), "no caption given");
    }
  }

  @Test
  void statsDescribeTheCollectionAndDropRemovesIt() {
    try (VectorStore s = open(DIM)) {
      assertEquals(java.util.Optional.empty(), s.stats(), "no collection yet");
      assertEquals(false, s.dropCollection(), "nothing to drop");
      s.ensureCollection();
      Random rnd = new Random(12);
      s.insert(List.of(new ImageRecord("/a.jpg", LiteSupport.unit(rnd, DIM)),
          new ImageRecord("/b.jpg", LiteSupport.unit(rnd, DIM))));
      CollectionStats stats = s.stats().orElseThrow();
      assertEquals(2, stats.rows());
      assertEquals(DIM, stats.dimension());
      assertEquals("COSINE", stats.metric());
      assertTrue(s.dropCollection(), "dropped");
      assertEquals(java.util.Optional.empty(), s.stats(), "gone");
    }
  }

  private static Set<String> paths(List<Hit> hits) {
    return Set.copyOf(hits.stream().map(Hit::path).toList());
  }
}
