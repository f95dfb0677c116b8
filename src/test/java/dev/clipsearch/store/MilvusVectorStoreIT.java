package dev.clipsearch.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.service.collection.request.ReleaseCollectionReq;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store against one real embedded Milvus Lite: the {@link VectorStoreContract} plus what is Milvus-specific.
 * Each test has its own collection, reached through the server's http:// URI, which exercises the remote path too.
 */
class MilvusVectorStoreIT extends VectorStoreContract {
  private static int collections;
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

  @Override
  VectorStore open(int dimension) {
    StoreOptions o = StoreOptions.defaults(lite.lite().uri(), dimension).withCollection("contract_" + ++collections);
    return MilvusVectorStore.open(o);
  }

  /** A store on the shared Lite server, through its http URI, on collection {@code name}. */
  private static MilvusVectorStore remote(String name, int dim) {
    StoreOptions o = StoreOptions.defaults(lite.lite().uri(), dim).withCollection(name);
    MilvusVectorStore s = MilvusVectorStore.open(o);
    s.ensureCollection();
    return s;
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
  void pathsLongerThanTheFieldAreRefusedBeforeSending() {
    try (MilvusVectorStore s = remote("long_paths", DIM)) {
      String longPath = "/" + "é".repeat(2048); // 2049 characters, 4097 UTF-8 bytes: Milvus counts bytes
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> s.insert(List.of(new ImageRecord(longPath, LiteSupport.unit(new Random(6), DIM)))));
      assertTrue(e.getMessage().contains("4097 bytes"), e.getMessage());
      assertEquals(Set.of(), s.existingPaths(List.of(longPath)), "never stored, and not sent");
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
