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
import java.util.Optional;
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
 * <p>A collection made by other code (the tutorial's, or a clip-search from before these fields) is served as it is
 * ({@link CollectionShape}); it is never altered beyond what the user asked for: a model record
 * ({@code --adopt-collection}) and a missing vector index ({@code --create-index}).
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
  /** A key of the dynamic field: the caption given with an uploaded image ("" when none). */
  static final String CAPTION = "caption";
  /** The metadata fields besides the path, in the order ingest reads them. */
  static final List<String> METADATA = List.of(SHA256, SIZE, MTIME, INGESTED_AT);
  /** Linux PATH_MAX. Milvus counts VarChar length in bytes, Lite in characters; we check bytes, which fits both. */
  static final int PATH_MAX_LENGTH = 4096;
  /** A path kept in the dynamic field (the tutorial's layout) is a JSON string: bounded by the server, not a field. */
  static final int DYNAMIC_PATH_MAX_LENGTH = 65_535;

  private static final Logger LOG = LoggerFactory.getLogger(CollectionSetup.class);

  private CollectionSetup() {}

  /**
   * Makes the collection exist, fit and be loaded. {@code admin} must be a client with a deadline long enough for an
   * index build. Returns where the collection keeps vectors, paths and file facts.
   */
  static CollectionShape ensure(MilvusClientV2 admin, StoreOptions o) {
    String name = o.collection();
    if (!admin.hasCollection(HasCollectionReq.builder().collectionName(name).build())) {
      if (o.dimension() == StoreOptions.ANY_DIMENSION) {
        throw new StoreException("there is no collection " + name + " (--collection) in this store: nothing has "
            + "been ingested into it yet");
      }
      create(admin, o);
    }
    Verified verified = verify(admin, o);
    // Lite workaround (docs/storage.md, "Lite quirks", 6): Lite does not persist the load state, so a collection is
    // unloaded after every restart and must be loaded before search/query. On real Milvus this is a cheap no-op when
    // loaded.
    admin.loadCollection(LoadCollectionReq.builder().collectionName(name).sync(true)
        .timeout(o.loadDeadline().toMillis()).build());
    // Written last, once every check has passed and the collection serves: a refused open (no index without
    // --create-index, another dimension, a failed load) leaves the collection's properties as they were.
    verified.adopt().ifPresent(model -> ModelRecord.write(admin, name, model));
    return verified.shape();
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
    return index(o, VECTOR);
  }

  private static IndexParam index(StoreOptions o, String field) {
    IndexParam.IndexParamBuilder b = IndexParam.builder().fieldName(field).metricType(IndexParam.MetricType.COSINE);
    return switch (o.indexType()) {
      case AUTOINDEX -> b.indexType(IndexParam.IndexType.AUTOINDEX).build();
      case FLAT -> b.indexType(IndexParam.IndexType.FLAT).build();
      // Lite workaround (docs/storage.md, "Lite quirks", 3): build params sent as separate keys are silently ignored by
      // Lite; a JSON object under "params" is honoured by Lite and by Milvus alike.
      case HNSW -> b.indexType(IndexParam.IndexType.HNSW).extraParams(Map.of("params",
          "{\"M\":" + o.hnswM() + ",\"efConstruction\":" + o.hnswEfConstruction() + "}")).build();
    };
  }

  /** What {@link #verify} found: where the collection keeps things, and the model record to write once it is open. */
  private record Verified(CollectionShape shape, Optional<ModelStamp> adopt) {}

  /**
   * Checks an existing collection against the options; returns where it keeps what clip-search needs. Changes
   * nothing but a missing vector index that {@code --create-index} allows.
   */
  private static Verified verify(MilvusClientV2 admin, StoreOptions o) {
    String name = o.collection();
    DescribeCollectionResp described = admin.describeCollection(
        DescribeCollectionReq.builder().collectionName(name).build());
    Layout layout = layout(described.getCollectionSchema(), name, o.vectorField(), o.pathField());
    boolean made = layout.made();
    FieldSchema vector = layout.vector();
    Integer dim = vector.getDimension();
    if (o.dimension() != StoreOptions.ANY_DIMENSION && (dim == null || dim != o.dimension())) {
      throw new StoreException("collection " + name + " holds " + dim + "-d vectors, model gives " + o.dimension()
          + "-d; use --collection to keep this model's vectors in another collection");
    }
    Optional<ModelStamp> adopt = ModelRecord.check(o, described.getProperties(), made);
    DescribeIndexResp.IndexDesc idx = vectorIndex(admin, name, vector.getName());
    if (idx == null) {
      if (!made && !o.createIndex()) {
        throw new StoreException("collection " + name + " has no index on its vector field '" + vector.getName()
            + "', and clip-search builds none in a collection it did not make without being asked: run once with "
            + "--create-index (builds " + o.indexType() + " with the COSINE metric)");
      }
      LOG.info("collection {} has no vector index; creating {}", name, o.indexType());
      // Lite workaround (docs/storage.md, "Lite quirks", 1): the default sync=true waits via AllocTimestamp, which Lite
      // does not implement; Lite builds the index inside CreateIndex/Load anyway.
      admin.createIndex(CreateIndexReq.builder().collectionName(name).indexParams(List.of(index(o, vector.getName())))
          .sync(false).build());
      idx = vectorIndex(admin, name, vector.getName());
    }
    IndexParam.MetricType metric = idx == null ? IndexParam.MetricType.COSINE : idx.getMetricType();
    if (made && metric != IndexParam.MetricType.COSINE) {
      throw new StoreException("collection " + name + " is indexed with metric " + metric
          + ", clip-search needs COSINE; use --collection to pick another");
    }
    CollectionShape shape = new CollectionShape(layout.id().getName(), vector.getName(), layout.path(),
        layout.pathMaxLength(), made, layout.dynamicField(), Boolean.TRUE.equals(layout.id().getAutoID()), metric,
        idx == null ? o.indexType().name() : String.valueOf(idx.getIndexType()));
    if (!made) {
      // Whether it can take rows is said where it matters: once by serve (App), and as the error of an ingest.
      LOG.info("collection {} was made by other code; serving it as it is: {}", name, shape.describe());
    }
    return new Verified(shape, adopt);
  }

  /** Where a collection's key, vector and path are, before its metric is known. */
  record Layout(boolean made, FieldSchema id, FieldSchema vector, String path, int pathMaxLength,
      boolean dynamicField) {}

  /**
   * Finds the key, vector and path of collection {@code name}: clip-search's own fields when it made it, else the
   * named ones (the options' {@code --vector-field}, {@code --path-field}); refuses what it cannot read.
   */
  static Layout layout(CollectionSchema schema, String name, String vectorField, String pathField) {
    boolean made = isOurs(schema);
    FieldSchema vector = schema.getField(made ? VECTOR : vectorField);
    if (vector == null || vector.getDataType() != DataType.FloatVector) {
      throw new StoreException("collection " + name + " has no FloatVector field '" + vectorField + "' (its "
          + "vector fields: " + fieldsOf(schema, DataType.FloatVector) + "); name it with --vector-field, or use "
          + "--collection to pick another collection");
    }
    FieldSchema id = schema.getFieldSchemaList().stream().filter(f -> Boolean.TRUE.equals(f.getIsPrimaryKey()))
        .findFirst().orElseThrow(() -> new StoreException("collection " + name + " has no primary key"));
    if (id.getDataType() != DataType.Int64) {
      throw new StoreException("collection " + name + " has a " + id.getDataType() + " primary key '" + id.getName()
          + "'; clip-search reads only Int64 keys");
    }
    String path = made ? PATH : pathField;
    return new Layout(made, id, vector, path, pathField(schema, path, name), schema.isEnableDynamicField());
  }

  /** Made by clip-search: its vector and path fields, and every file fact as a schema field. */
  private static boolean isOurs(CollectionSchema schema) {
    FieldSchema path = schema.getField(PATH);
    return schema.getField(VECTOR) != null && path != null && path.getDataType() == DataType.VarChar
        && java.util.stream.Stream.of(SHA256, WIDTH, HEIGHT, SIZE, MTIME, INGESTED_AT)
            .allMatch(f -> schema.getField(f) != null);
  }

  /** The path's max length in bytes: a VarChar field's own, or the server's JSON string limit for a dynamic key. */
  private static int pathField(CollectionSchema schema, String field, String name) {
    FieldSchema path = schema.getField(field);
    if (path == null) {
      if (!schema.isEnableDynamicField()) {
        throw new StoreException("collection " + name + " has no field '" + field + "' for the image path and no "
            + "dynamic field that could hold it (its text fields: " + fieldsOf(schema, DataType.VarChar) + "); name "
            + "it with --path-field");
      }
      return DYNAMIC_PATH_MAX_LENGTH; // a key of the dynamic field, as the tutorial stores it
    }
    if (path.getDataType() != DataType.VarChar) {
      throw new StoreException("collection " + name + " has a " + path.getDataType() + " field '" + field + "', not "
          + "a VarChar image path; name the path field with --path-field");
    }
    return path.getMaxLength() != null ? path.getMaxLength() : PATH_MAX_LENGTH;
  }

  private static List<String> fieldsOf(CollectionSchema schema, DataType type) {
    return schema.getFieldSchemaList().stream().filter(f -> f.getDataType() == type).map(FieldSchema::getName)
        .toList();
  }

  /** The index on {@code field}, or null when it has none. */
  static DescribeIndexResp.IndexDesc vectorIndex(MilvusClientV2 admin, String name, String field) {
    try {
      DescribeIndexResp resp = admin.describeIndex(
          DescribeIndexReq.builder().collectionName(name).fieldName(field).build());
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
