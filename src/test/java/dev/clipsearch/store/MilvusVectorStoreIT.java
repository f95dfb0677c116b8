package dev.clipsearch.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.config.Setting;
import dev.clipsearch.config.Settings;
import dev.clipsearch.testing.StoreConfigs;
import dev.clipsearch.testing.StoreTarget;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.common.DataType;
import io.milvus.v2.common.IndexParam;
import io.milvus.v2.service.collection.request.AddFieldReq;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.collection.request.DescribeCollectionReq;
import io.milvus.v2.service.collection.request.ReleaseCollectionReq;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * {@link MilvusVectorStoreServerIT} runs the same tests against a Milvus standalone.
 */
class MilvusVectorStoreIT extends VectorStoreContract {
  private static int collections;
  @TempDir static Path tmp;
  private static MilvusVectorStore lite;
  static final ModelStamp TINY = new ModelStamp("cifar-tiny-clip", "a".repeat(64), DIM);
  static final ModelStamp OTHER = new ModelStamp("ViT-B-32", "b".repeat(64), DIM);

  StoreTarget target() {
    return StoreTarget.LITE;
  }

  /** The settings that select collection {@code name} on the server under test. */
  Map<Setting<?>, String> settings(String name) {
    return target() == StoreTarget.LITE ? Map.of(Settings.MILVUS, lite.lite().uri(), Settings.COLLECTION, name)
        : target().settings(null, name);
  }

  /** Options for collection {@code name} on the server under test. */
  StoreOptions options(String name, int dim) {
    return StoreConfigs.options(dim, settings(name));
  }

  /** Options for {@code model}'s vectors in collection {@code name}; {@code adopt}: --adopt-collection. */
  StoreOptions options(String name, ModelStamp model, boolean adopt) {
    return StoreConfigs.options(model, StoreConfigs.with(settings(name),
        Map.of(Settings.ADOPT_COLLECTION, String.valueOf(adopt))));
  }

  /** A client of the server under test, for setting up what the store itself would not do. */
  MilvusClientV2 raw() {
    return Clients.connect(options("x", DIM).uri(), options("x", DIM), Duration.ofSeconds(30),
        target() == StoreTarget.LITE);
  }

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
    return MilvusVectorStore.open(options("contract_" + ++collections, dimension));
  }

  /** A store on the server under test, through its http URI, on collection {@code name}. */
  private MilvusVectorStore remote(String name, int dim) {
    MilvusVectorStore s = MilvusVectorStore.open(options(name, dim));
    s.ensureCollection();
    return s;
  }

  @Test
  void anExistingCollectionOfAnotherDimensionIsRefusedWithAHint() {
    try (MilvusVectorStore s = remote("dim_test", 16)) {
      assertEquals(0, s.count());
    }
    StoreOptions other = options("dim_test", 24);
    try (MilvusVectorStore s = MilvusVectorStore.open(other)) {
      StoreException e = assertThrows(StoreException.class, s::ensureCollection);
      assertEquals("collection dim_test holds 16-d vectors, model gives 24-d; use --collection to keep this model's "
          + "vectors in another collection", e.getMessage());
    }
  }

  @Test
  void aCollectionMadeByAnOlderVersionIsServedAndExtendedWithTheFileFactsInItsDynamicField() {
    // the layout main had before sha256 and friends: id, vector, filepath (+ dynamic field)
    var schema = io.milvus.v2.service.collection.request.CreateCollectionReq.CollectionSchema.builder()
        .enableDynamicField(true).build();
    schema.addField(io.milvus.v2.service.collection.request.AddFieldReq.builder().fieldName("id")
        .dataType(io.milvus.v2.common.DataType.Int64).isPrimaryKey(true).autoID(true).build());
    schema.addField(io.milvus.v2.service.collection.request.AddFieldReq.builder().fieldName("vector")
        .dataType(io.milvus.v2.common.DataType.FloatVector).dimension(DIM).build());
    schema.addField(io.milvus.v2.service.collection.request.AddFieldReq.builder().fieldName("filepath")
        .dataType(io.milvus.v2.common.DataType.VarChar).maxLength(4096).build());
    MilvusClientV2 raw = raw();
    try {
      raw.createCollection(io.milvus.v2.service.collection.request.CreateCollectionReq.builder()
          .collectionName("legacy").collectionSchema(schema)
          .indexParams(List.of(CollectionSetup.index(StoreConfigs.options(DIM, Map.of(Settings.MILVUS, "x")))))
          .build());
    } finally {
      Clients.closeQuietly(raw);
    }
    StoreOptions o = options("legacy", DIM);
    try (MilvusVectorStore s = MilvusVectorStore.open(o)) {
      s.ensureCollection(); // served as it is: another code's layout (issue 24)
      assertTrue(!s.hasOwnLayout());
      float[] v = LiteSupport.unit(new Random(7), DIM);
      s.insert(List.of(new ImageRecord("/legacy/a.jpg", v, "c".repeat(64), 4, 3, 12, 34, 56, List.of())));
      StoredImage row = s.lookup(List.of("/legacy/a.jpg")).get(0);
      assertEquals(new StoredImage(row.id(), "/legacy/a.jpg", "c".repeat(64), 12, 34, 56), row,
          "the file facts went to the dynamic field and come back from it");
      assertEquals("/legacy/a.jpg", s.search(v, 1).get(0).path());
    }
  }

  @Test
  void aCollectionOfOtherCodeWithoutAnIndexGetsOneOnlyWithTheUsersConsent() {
    create("unindexed", foreignSchema("id", true, true), List.of());
    Map<Setting<?>, String> fields = Map.of(Settings.VECTOR_FIELD, "embedding", Settings.PATH_FIELD, "file");
    try (MilvusVectorStore s = MilvusVectorStore.open(StoreConfigs.options(DIM,
        StoreConfigs.with(settings("unindexed"), fields)))) {
      StoreException e = assertThrows(StoreException.class, s::ensureCollection);
      assertTrue(e.getMessage().startsWith("collection unindexed has no index on its vector field 'embedding', and "
          + "clip-search builds none in a collection it did not make without being asked: run once with "
          + "--create-index"), e.getMessage());
    }
    try (MilvusVectorStore s = MilvusVectorStore.open(StoreConfigs.options(DIM, StoreConfigs.with(
        settings("unindexed"), StoreConfigs.with(fields, Map.of(Settings.CREATE_INDEX, "true")))))) {
      s.ensureCollection();
      float[] v = LiteSupport.unit(new Random(8), DIM);
      s.insert(List.of(new ImageRecord("/x/y.jpg", v)));
      Hit hit = s.search(v, 1).get(0);
      assertEquals("/x/y.jpg", hit.path(), "the path went to the dynamic key 'file'");
      assertEquals(1.0f, hit.score(), 1e-5f);
    }
  }

  @Test
  void aRefusedAdoptionLeavesTheCollectionsPropertiesAsTheyWere() {
    create("unindexed_adopted", foreignSchema("id", true, true), List.of());
    Map<String, String> before = properties("unindexed_adopted");
    Map<Setting<?>, String> adopt = StoreConfigs.with(settings("unindexed_adopted"), Map.of(Settings.VECTOR_FIELD,
        "embedding", Settings.PATH_FIELD, "file", Settings.ADOPT_COLLECTION, "true"));
    try (MilvusVectorStore s = MilvusVectorStore.open(StoreConfigs.options(TINY, adopt))) {
      StoreException e = assertThrows(StoreException.class, s::ensureCollection);
      assertTrue(e.getMessage().startsWith("collection unindexed_adopted has no index on its vector field"),
          e.getMessage());
    }
    assertEquals(before, properties("unindexed_adopted"), "a refused open records no model");

    try (MilvusVectorStore s = MilvusVectorStore.open(StoreConfigs.options(TINY,
        StoreConfigs.with(adopt, Map.of(Settings.CREATE_INDEX, "true"))))) {
      s.ensureCollection();
    }
    Map<String, String> after = properties("unindexed_adopted");
    assertTrue(after.entrySet().containsAll(TINY.properties().entrySet()), "recorded once the open succeeded: "
        + after);
    // stats names the collection's own fields; the path is a key of its dynamic field
    try (MilvusVectorStore s = MilvusVectorStore.open(StoreConfigs.options(TINY, adopt))) {
      CollectionStats stats = s.stats().orElseThrow();
      assertEquals(new CollectionStats.Fields("id", "embedding", "file", true), stats.fields());
      assertEquals(DIM, stats.dimension());
      assertEquals("COSINE", stats.metric());
      assertEquals(false, stats.ownLayout());
      assertEquals(java.util.Optional.empty(), stats.readOnly());
    }
  }

  @Test
  void statsDescribeACollectionOfOtherCodeByItsOwnFieldsMetricAndWhyItIsReadOnly() {
    var schema = foreignSchema("pk", false, false);
    schema.addField(AddFieldReq.builder().fieldName("path").dataType(DataType.VarChar).maxLength(512).build());
    create("their_stats", schema, List.of(IndexParam.builder().fieldName("embedding")
        .indexType(IndexParam.IndexType.FLAT).metricType(IndexParam.MetricType.L2).build()));
    try (MilvusVectorStore s = MilvusVectorStore.open(StoreConfigs.options(StoreOptions.ANY_DIMENSION,
        StoreConfigs.with(settings("their_stats"), Map.of(Settings.VECTOR_FIELD, "embedding",
            Settings.PATH_FIELD, "path"))))) {
      CollectionStats stats = s.stats().orElseThrow();
      assertEquals(new CollectionStats.Fields("pk", "embedding", "path", false), stats.fields());
      assertEquals(DIM, stats.dimension());
      assertEquals("L2", stats.metric());
      assertEquals("FLAT", stats.index());
      assertEquals(0, stats.rows());
      assertEquals(java.util.Optional.of("its primary key 'pk' is not auto_id, and clip-search does not invent keys"),
          stats.readOnly());
    }
  }

  /** Another team's schema: an Int64 key and a FloatVector {@code embedding}; no path field yet. */
  private static CreateCollectionReq.CollectionSchema foreignSchema(String key, boolean autoId, boolean dynamic) {
    var schema = CreateCollectionReq.CollectionSchema.builder().enableDynamicField(dynamic).build();
    schema.addField(AddFieldReq.builder().fieldName(key).dataType(DataType.Int64).isPrimaryKey(true).autoID(autoId)
        .build());
    schema.addField(AddFieldReq.builder().fieldName("embedding").dataType(DataType.FloatVector).dimension(DIM)
        .build());
    return schema;
  }

  /** Makes a collection as other code would, with the SDK (no index when {@code indexes} is empty). */
  private void create(String name, CreateCollectionReq.CollectionSchema schema, List<IndexParam> indexes) {
    MilvusClientV2 raw = raw();
    try {
      var req = CreateCollectionReq.builder().collectionName(name).collectionSchema(schema);
      raw.createCollection((indexes.isEmpty() ? req : req.indexParams(indexes)).build());
    } finally {
      Clients.closeQuietly(raw);
    }
  }

  /** The collection's properties as the server reports them, read with the SDK. */
  private Map<String, String> properties(String name) {
    MilvusClientV2 raw = raw();
    try {
      Map<String, String> p = raw.describeCollection(DescribeCollectionReq.builder().collectionName(name).build())
          .getProperties();
      return p == null ? Map.of() : Map.copyOf(p);
    } finally {
      Clients.closeQuietly(raw);
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
    StoreOptions o = options("never_created", DIM);
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
      MilvusClientV2 raw = raw();
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

  @Test
  void theModelIsRecordedAtCreationAndAnotherModelIsRefusedWithTheNameOfTheOneThatMadeIt() {
    try (MilvusVectorStore s = MilvusVectorStore.open(options("model_test", TINY, false))) {
      s.ensureCollection();
      s.insert(List.of(new ImageRecord("/a.jpg", LiteSupport.unit(new Random(20), DIM))));
    }
    try (MilvusVectorStore s = MilvusVectorStore.open(options("model_test", OTHER, true))) {
      StoreException e = assertThrows(StoreException.class, s::ensureCollection, "adopting never overrides a record");
      assertEquals(ModelRecord.mismatch("model_test", TINY, OTHER), e.getMessage());
      assertTrue(e.getMessage().startsWith("collection model_test holds vectors of the model cifar-tiny-clip (sha256 "
          + "aaaaaaaaaaaa..., 32-d), but the model in use is ViT-B-32 (sha256 bbbbbbbbbbbb..., 32-d)"), e.getMessage());
      assertTrue(e.getMessage().contains("--collection NEW_NAME"), e.getMessage());
    }
    ModelStamp renamed = new ModelStamp("tiny-renamed", TINY.sha256(), DIM); // same file, another spec name
    try (MilvusVectorStore s = MilvusVectorStore.open(options("model_test", renamed, false))) {
      s.ensureCollection();
      assertEquals(1, s.count());
    }
  }

  @Test
  void aCollectionWithoutAModelRecordIsRefusedUntilAdoptedOnce() {
    try (MilvusVectorStore s = remote("unrecorded", DIM)) { // made as older builds did: no record
      s.insert(List.of(new ImageRecord("/old.jpg", LiteSupport.unit(new Random(21), DIM))));
    }
    try (MilvusVectorStore s = MilvusVectorStore.open(options("unrecorded", TINY, false))) {
      StoreException e = assertThrows(StoreException.class, s::ensureCollection);
      assertTrue(e.getMessage().startsWith("collection unrecorded does not record which model made its vectors"),
          e.getMessage());
      assertTrue(e.getMessage().contains("--adopt-collection"), e.getMessage());
    }
    try (MilvusVectorStore s = MilvusVectorStore.open(options("unrecorded", TINY, true))) {
      s.ensureCollection();
      assertEquals(1, s.count(), "adopting keeps the rows");
    }
    try (MilvusVectorStore s = MilvusVectorStore.open(options("unrecorded", TINY, false))) {
      s.ensureCollection(); // recorded now: no flag needed any more
    }
    try (MilvusVectorStore s = MilvusVectorStore.open(options("unrecorded", OTHER, false))) {
      assertEquals(ModelRecord.mismatch("unrecorded", TINY, OTHER),
          assertThrows(StoreException.class, s::ensureCollection).getMessage());
    }
  }

  @Test
  void aDatabaseIsCreatedWhenMissingAndKeepsItsCollectionsApart() {
    StoreOptions inDatabase = StoreConfigs.options(DIM,
        StoreConfigs.with(settings("db_test"), Map.of(Settings.MILVUS_DB, "clip_it_db")));
    try (MilvusVectorStore s = MilvusVectorStore.open(inDatabase)) {
      s.ensureCollection();
      s.insert(List.of(new ImageRecord("/in-db.jpg", LiteSupport.unit(new Random(22), DIM))));
      assertEquals(1, s.count());
      assertTrue(s.describe().contains("database clip_it_db"), s.describe());
    }
    try (MilvusVectorStore s = remote("db_test", DIM)) {
      assertEquals(0, s.count(), "the default database has its own db_test");
    }
    try (MilvusVectorStore s = MilvusVectorStore.open(inDatabase)) {
      s.ensureCollection();
      assertEquals(Set.of("/in-db.jpg"), s.existingPaths(List.of("/in-db.jpg")));
    }
  }

  @Test
  void instancesCreatingOneCollectionAtOnceBothSucceed() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<Long>> opened = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        opened.add(pool.submit(() -> {
          try (MilvusVectorStore s = MilvusVectorStore.open(options("created_at_once", TINY, false))) {
            s.ensureCollection();
            return s.count();
          }
        }));
      }
      for (Future<Long> f : opened) {
        assertEquals(0L, f.get(120, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
