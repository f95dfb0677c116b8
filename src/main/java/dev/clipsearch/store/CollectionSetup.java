package dev.clipsearch.store;

import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.common.DataType;
import io.milvus.v2.common.IndexParam;
import io.milvus.v2.exception.ErrorCode;
import io.milvus.v2.exception.MilvusClientException;
import io.milvus.v2.service.collection.request.AddFieldReq;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.collection.request.CreateCollectionReq.CollectionSchema;
import io.milvus.v2.service.collection.request.CreateCollectionReq.FieldSchema;
import io.milvus.v2.service.collection.request.DescribeCollectionReq;
import io.milvus.v2.service.collection.request.HasCollectionReq;
import io.milvus.v2.service.collection.request.LoadCollectionReq;
import io.milvus.v2.service.collection.response.DescribeCollectionResp;
import io.milvus.v2.service.index.request.CreateIndexReq;
import io.milvus.v2.service.index.request.DescribeIndexReq;
import io.milvus.v2.service.index.response.DescribeIndexResp;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the collection, or checks that an existing one fits this model, and loads it. The layout follows the
 * Milvus text-to-image tutorial (auto-id Int64 {@code id}, FloatVector {@code vector} with COSINE, VarChar
 * {@code filepath}) plus what incremental ingest needs: {@code sha256}, {@code width}, {@code height},
 * {@code size_bytes}, {@code mtime_ms}, {@code ingested_at}. Labels go to the dynamic field as a JSON array
 * ({@code labels}), so rows without labels cost nothing and new metadata needs no schema change.
 *
 * <p>The model that made the vectors is recorded in the collection's properties and checked on every open
 * ({@link ModelRecord}).
 *
 * <p>A collection made before these fields existed is refused with a message naming {@code --collection}, not
 * migrated: its rows lack the hashes that make re-ingest skip work, so a migration would have to re-read every file
 * anyway, which is exactly what ingesting into a new collection does (and the old one stays usable by old builds).
 */
final class CollectionSetup {
  static final String ID = "id";
  static final String VECTOR = "vector";
  static final String PATH = "filepath";
  static final String SHA256 = "sha256";
  static final String WIDTH = "width";
  static final String HEIGHT = "height";
  static final String SIZE = "size_bytes";
  static final String MTIME = "mtime_ms";
  static final String INGESTED_AT = "ingested_at";
  /** A key of the dynamic field, not a schema field. */
  static final String LABELS = "labels";
  /** The metadata fields besides the path, in the order ingest reads them. */
  static final List<String> METADATA = List.of(SHA256, SIZE, MTIME, INGESTED_AT);
  /** Linux PATH_MAX. Milvus counts VarChar length in bytes, Lite in characters; we check bytes, which fits both. */
  static final int PATH_MAX_LENGTH = 4096;

  private static final Logger LOG = LoggerFactory.getLogger(CollectionSetup.class);

  private CollectionSetup() {}

  /**
   * Makes the collection exist, fit and be loaded. {@code admin} must be a client with a deadline long enough for an
   * index build. Returns the {@code filepath} field's max length, which insert checks client-side.
   */
  static int ensure(MilvusClientV2 admin, StoreOptions o) {
    String name = o.collection();
    if (!admin.hasCollection(HasCollectionReq.builder().collectionName(name).build())) {
      create(admin, o);
    }
    int pathMax = verify(admin, o);
    // Lite workaround (docs/storage.md, "Lite quirks", 6): Lite does not persist the load state, so a collection is
    // unloaded after every restart and must be loaded before search/query. On real Milvus this is a cheap no-op when
    // loaded.
    admin.loadCollection(LoadCollectionReq.builder().collectionName(name).sync(true)
        .timeout(o.loadDeadline().toMillis()).build());
    return pathMax;
  }

  /**
   * Creates the collection with the model recorded in its properties. Several clip-search instances may start at
   * once on one server: when another one created the collection first, ours fails, and the caller's verify then
   * checks theirs like any existing collection.
   */
  private static void create(MilvusClientV2 admin, StoreOptions o) {
    String name = o.collection();
    LOG.info("creating collection {} ({}-d, {} COSINE{})", name, o.dimension(), o.indexType(),
        o.model() == null ? "" : ", vectors of " + o.model().describe());
    try {
      admin.createCollection(CreateCollectionReq.builder()
          .collectionName(name)
          .collectionSchema(schema(o.dimension()))
          .indexParams(List.of(index(o)))
          .properties(o.model() == null ? Map.of() : o.model().properties())
          .build());
    } catch (MilvusClientException e) {
      // The other creation may still be under way (Lite registers the name only when it is done): look a few times.
      for (int look = 0; look < 20; look++) {
        if (admin.hasCollection(HasCollectionReq.builder().collectionName(name).build())) {
          LOG.info("collection {} was created by another process meanwhile; using it", name);
          return;
        }
        try {
          Thread.sleep(250);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      throw e;
    }
  }

  static CollectionSchema schema(int dimension) {
    CollectionSchema s = CollectionSchema.builder().enableDynamicField(true).build();
    s.addField(AddFieldReq.builder().fieldName(ID).dataType(DataType.Int64).isPrimaryKey(true).autoID(true).build());
    s.addField(AddFieldReq.builder().fieldName(VECTOR).dataType(DataType.FloatVector).dimension(dimension).build());
    s.addField(AddFieldReq.builder().fieldName(PATH).dataType(DataType.VarChar).maxLength(PATH_MAX_LENGTH).build());
    s.addField(AddFieldReq.builder().fieldName(SHA256).dataType(DataType.VarChar).maxLength(64).build());
    s.addField(AddFieldReq.builder().fieldName(WIDTH).dataType(DataType.Int32).build());
    s.addField(AddFieldReq.builder().fieldName(HEIGHT).dataType(DataType.Int32).build());
    s.addField(AddFieldReq.builder().fieldName(SIZE).dataType(DataType.Int64).build());
    s.addField(AddFieldReq.builder().fieldName(MTIME).dataType(DataType.Int64).build());
    s.addField(AddFieldReq.builder().fieldName(INGESTED_AT).dataType(DataType.Int64).build());
    return s;
  }

  static IndexParam index(StoreOptions o) {
    IndexParam.IndexParamBuilder b = IndexParam.builder().fieldName(VECTOR).metricType(IndexParam.MetricType.COSINE);
    return switch (o.indexType()) {
      case AUTOINDEX -> b.indexType(IndexParam.IndexType.AUTOINDEX).build();
      case FLAT -> b.indexType(IndexParam.IndexType.FLAT).build();
      // Lite workaround (docs/storage.md, "Lite quirks", 3): build params sent as separate keys are silently ignored by
      // Lite; a JSON object under "params" is honoured by Lite and by Milvus alike.
      case HNSW -> b.indexType(IndexParam.IndexType.HNSW).extraParams(Map.of("params",
          "{\"M\":" + o.hnswM() + ",\"efConstruction\":" + o.hnswEfConstruction() + "}")).build();
    };
  }

  /** Checks an existing collection against the options; returns its filepath max length. */
  private static int verify(MilvusClientV2 admin, StoreOptions o) {
    String name = o.collection();
    DescribeCollectionResp described = admin.describeCollection(
        DescribeCollectionReq.builder().collectionName(name).build());
    CollectionSchema schema = described.getCollectionSchema();
    FieldSchema vector = schema.getField(VECTOR);
    FieldSchema path = schema.getField(PATH);
    if (vector == null || vector.getDataType() != DataType.FloatVector || path == null
        || path.getDataType() != DataType.VarChar) {
      throw new StoreException("collection " + name + " exists but was not made by clip-search (it needs a "
          + "FloatVector field '" + VECTOR + "' and a VarChar field '" + PATH + "'); use --collection to pick another");
    }
    List<String> missing = java.util.stream.Stream.of(SHA256, WIDTH, HEIGHT, SIZE, MTIME, INGESTED_AT)
        .filter(f -> schema.getField(f) == null).toList();
    if (!missing.isEmpty()) {
      throw new StoreException("collection " + name + " was made by an older clip-search and lacks the fields "
          + missing + " that incremental ingest needs; ingest into a new collection with --collection NAME "
          + "(e.g. --collection " + name + "_v2); the old collection is left untouched and can be dropped later");
    }
    Integer dim = vector.getDimension();
    if (dim == null || dim != o.dimension()) {
      throw new StoreException("collection " + name + " holds " + dim + "-d vectors, model gives " + o.dimension()
          + "-d; use --collection to keep this model's vectors in another collection");
    }
    ModelRecord.check(admin, o, described.getProperties());
    DescribeIndexResp.IndexDesc idx = vectorIndex(admin, name);
    if (idx == null) {
      LOG.info("collection {} has no vector index; creating {}", name, o.indexType());
      // Lite workaround (docs/storage.md, "Lite quirks", 1): the default sync=true waits via AllocTimestamp, which Lite
      // does not implement; Lite builds the index inside CreateIndex/Load anyway.
      admin.createIndex(CreateIndexReq.builder().collectionName(name).indexParams(List.of(index(o)))
          .sync(false).build());
    } else if (idx.getMetricType() != IndexParam.MetricType.COSINE) {
      throw new StoreException("collection " + name + " is indexed with metric " + idx.getMetricType()
          + ", clip-search needs COSINE; use --collection to pick another");
    }
    return path.getMaxLength() != null ? path.getMaxLength() : PATH_MAX_LENGTH;
  }

  private static DescribeIndexResp.IndexDesc vectorIndex(MilvusClientV2 admin, String name) {
    try {
      DescribeIndexResp resp = admin.describeIndex(
          DescribeIndexReq.builder().collectionName(name).fieldName(VECTOR).build());
      List<DescribeIndexResp.IndexDesc> all = resp.getIndexDescriptions();
      return all == null || all.isEmpty() ? null : all.get(0);
    } catch (MilvusClientException e) {
      if (e.getErrorCode() != ErrorCode.SERVER_ERROR && !MilvusErrors.isUndecodableServerError(e)) {
        throw e; // unreachable or timed out: not a sign of a missing index
      }
      LOG.debug("describeIndex({}): {}", name, e.getMessage()); // the server's "index not found"
      return null;
    }
  }
}
