package dev.clipsearch.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.config.Settings;
import dev.clipsearch.testing.StoreConfigs;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.service.collection.request.ReleaseCollectionReq;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
    StoreOptions o = StoreConfigs.options(dimension, java.util.Map.of(Settings.MILVUS, lite.lite().uri(),
        Settings.COLLECTION, "contract_" + ++collections));
    return MilvusVectorStore.open(o);
  }

  /** A store on the shared Lite server, through its http URI, on collection {@code name}. */
  private static MilvusVectorStore remote(String name, int dim) {
    StoreOptions o = StoreConfigs.options(dim, java.util.Map.of(Settings.MILVUS, lite.lite().uri(),
        Settings.COLLECTION, name));
    MilvusVectorStore s = MilvusVectorStore.open(o);
    s.ensureCollection();
    return s;
  }

  @Test
  void anExistingCollectionOfAnotherDimensionIsRefusedWithAHint() {
    try (MilvusVectorStore s = remote("dim_test", 16)) {
      assertEquals(0, s.count());
    }
    StoreOptions other = StoreConfigs.options(24, java.util.Map.of(Settings.MILVUS, lite.lite().uri(),
        Settings.COLLECTION, "dim_test"));
    try (MilvusVectorStore s = MilvusVectorStore.open(other)) {
      StoreException e = assertThrows(StoreException.class, s::ensureCollection);
      assertEquals("collection dim_test holds 16-d vectors, model gives 24-d; use --collection to keep this model's "
          + "vectors in another collection", e.getMessage());
    }
  }

  @Test
  void aCollectionMadeByAnOlderVersionIsRefusedWithAHintToUseAnotherCollection() {
    // the layout main had before sha256 and friends: id, vector, filepath (+ dynamic field)
    var schema = io.milvus.v2.service.collection.request.CreateCollectionReq.CollectionSchema.builder()
        .enableDynamicField(true).build();
    schema.addField(io.milvus.v2.service.collection.request.AddFieldReq.builder().fieldName("id")
        .dataType(io.milvus.v2.common.DataType.Int64).isPrimaryKey(true).autoID(true).build());
    schema.addField(io.milvus.v2.service.collection.request.AddFieldReq.builder().fieldName("vector")
        .dataType(io.milvus.v2.common.DataType.FloatVector).dimension(DIM).build());
    schema.addField(io.milvus.v2.service.collection.request.AddFieldReq.builder().fieldName("filepath")
        .dataType(io.milvus.v2.common.DataType.VarChar).maxLength(4096).build());
    MilvusClientV2 raw = Clients.connect(lite.lite().uri(), lite.options(), Duration.ofSeconds(30), true);
    try {
      raw.createCollection(io.milvus.v2.service.collection.request.CreateCollectionReq.builder()
          .collectionName("legacy").collectionSchema(schema)
          .indexParams(List.of(CollectionSetup.index(StoreConfigs.options(DIM, java.util.Map.of(Settings.MILVUS, "x"))))).build());
    } finally {
      Clients.closeQuietly(raw);
    }
    StoreOptions o = StoreConfigs.options(DIM, java.util.Map.of(Settings.MILVUS, lite.lite().uri(),
        Settings.COLLECTION, "legacy"));
    try (MilvusVectorStore s = MilvusVectorStore.open(o)) {
      StoreException e = assertThrows(StoreException.class, s::ensureCollection);
      assertEquals("collection legacy was made by an older clip-search and lacks the fields [sha256, width, height, "
          + "size_bytes, mtime_ms, ingested_at] that incremental ingest needs; ingest into a new collection with "
          + "--collection NAME (e.g. --collection legacy_v2); the old collection is left untouched and can be dropped "
          + "later", e.getMessage());
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
    StoreOptions o = StoreConfigs.options(DIM, java.util.Map.of(Settings.MILVUS, lite.lite().uri(),
        Settings.COLLECTION, "never_created"));
    try (MilvusVectorStore s = MilvusVectorStore.open(o)) {
      StoreException e = assertThrows(StoreException.class, s::count);
      assertTrue(e.getMessage().contains("never_created"), e.getMessage());
    }
  }

  @Test
  void aLiteErrorTheSdkCannotDecodeBecomesARejection() {
    try (MilvusVectorStore s = remote("released_test", DIM)) {
      // an unloaded collection: Lite answers with legacy error_code 101, which the SDK's enum lacks
      // (docs/storage.md, "Lite quirks", 2)
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
  void concurrentWritersAndReadersLoseNothing() throws Exception {
    try (MilvusVectorStore s = remote("concurrency_test", DIM)) {
      ExecutorService pool = Executors.newFixedThreadPool(6);
      try {
        List<Future<?>> jobs = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
          int writer = w;
          jobs.add(pool.submit(() -> {
            Random rnd = new Random(100 + writer);
            for (int b = 0; b < 5; b++) {
              List<ImageRecord> batch = new ArrayList<>();
              for (int i = 0; i < 20; i++) {
                batch.add(new ImageRecord("/w" + writer + "/b" + b + "/" + i, LiteSupport.unit(rnd, DIM)));
              }
              s.insert(batch);
            }
          }));
        }
        for (int r = 0; r < 2; r++) {
          jobs.add(pool.submit(() -> {
            Random rnd = new Random(7);
            for (int q = 0; q < 20; q++) {
              s.search(LiteSupport.unit(rnd, DIM), 5);
              s.existingPaths(List.of("/w0/b0/0", "/w3/b4/19"));
            }
          }));
        }
        for (Future<?> f : jobs) {
          f.get(60, TimeUnit.SECONDS); // rethrows any worker's failure
        }
      } finally {
        pool.shutdownNow();
      }
      assertEquals(400, s.count());
      assertEquals(Set.of("/w0/b0/0", "/w3/b4/19"), s.existingPaths(List.of("/w0/b0/0", "/w3/b4/19")));
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
