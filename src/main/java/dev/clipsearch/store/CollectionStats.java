package dev.clipsearch.store;

import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.service.collection.request.CreateCollectionReq.FieldSchema;
import io.milvus.v2.service.collection.request.DescribeCollectionReq;
import io.milvus.v2.service.collection.response.DescribeCollectionResp;
import io.milvus.v2.service.index.response.DescribeIndexResp;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a collection holds, for {@code clip-search stats}: read through the collection's own field names, so a
 * collection made by other code (docs/storage.md, "Collections made by other code") is described as it is.
 *
 * @param rows rows stored (strongly consistent: every acknowledged insert and delete counts)
 * @param dimension the vector field's dimension
 * @param index the vector index type (HNSW, FLAT, AUTOINDEX...), or "none"
 * @param metric the index's metric (COSINE for collections made by clip-search; other code's may use IP or L2)
 * @param indexParams the index's build parameters as the server reports them
 * @param properties the collection's properties (where a model record is kept), sorted by key
 * @param fields where the collection keeps its keys, vectors and image paths
 * @param ownLayout made by clip-search (every file fact a schema field), else by other code
 * @param readOnly why the collection cannot take new rows, if it cannot ({@link ReadOnlyCollectionException})
 */
public record CollectionStats(String collection, long rows, int dimension, String index, String metric,
    Map<String, String> indexParams, Map<String, String> properties, Fields fields, boolean ownLayout,
    Optional<String> readOnly) {

  /**
   * The collection's field names.
   *
   * @param pathIsDynamic the path is a key of the dynamic field (the tutorial's layout), not a schema field
   */
  public record Fields(String key, String vector, String path, boolean pathIsDynamic) {}

  /** Reads everything but the row count ({@code rows} is given: counting needs a loaded collection). */
  static CollectionStats read(MilvusClientV2 client, String collection, long rows, CollectionShape shape) {
    DescribeCollectionResp d = client.describeCollection(DescribeCollectionReq.builder().collectionName(collection)
        .build());
    FieldSchema vector = d.getCollectionSchema().getField(shape.vector());
    int dimension = vector == null || vector.getDimension() == null ? 0 : vector.getDimension();
    Optional<DescribeIndexResp.IndexDesc> idx = Optional.ofNullable(
        CollectionSetup.vectorIndex(client, collection, shape.vector()));
    return new CollectionStats(collection, rows, dimension,
        idx.map(i -> String.valueOf(i.getIndexType())).orElse("none"), shape.metric().name(),
        new TreeMap<>(idx.map(DescribeIndexResp.IndexDesc::getExtraParams).orElse(Map.of())),
        new TreeMap<>(d.getProperties() == null ? Map.of() : d.getProperties()),
        new Fields(shape.id(), shape.vector(), shape.path(), d.getCollectionSchema().getField(shape.path()) == null),
        shape.made(), shape.readOnlyBecause());
  }
}
