package dev.clipsearch.store;

import io.milvus.v2.common.IndexParam.MetricType;
import java.util.List;
import java.util.Optional;

/**
 * Where a collection keeps what clip-search reads and writes. A collection clip-search made has its own field names
 * and the file facts (sha256, size, mtime, ...) as schema fields. One made by other code, the Milvus tutorial's
 * {@code MilvusClient.create_collection(..., enable_dynamic_field=True)} say, is served as it is: its vector field, its
 * path (a VarChar field or a key of the dynamic field), its primary key and its index's metric; the rows clip-search
 * adds keep the file facts in the dynamic field (docs/storage.md, "Collections made by other code").
 *
 * @param id the Int64 primary key
 * @param pathMaxLength the most UTF-8 bytes a path may have (the VarChar's max length; 65535 for a dynamic key, the
 *     server's limit on a JSON string)
 * @param made made by clip-search: every file fact is a schema field
 * @param dynamicField the collection has a dynamic field, where a foreign collection's file facts go
 * @param autoId Milvus assigns the primary keys (clip-search never invents them)
 * @param metric the vector index's metric: COSINE and IP rank higher scores first, L2 lower distances first
 * @param indexType the vector index's type as the server reports it (AUTOINDEX, HNSW, ...)
 */
record CollectionShape(String id, String vector, String path, int pathMaxLength, boolean made, boolean dynamicField,
    boolean autoId, MetricType metric, String indexType) {

  /** clip-search's own layout, assumed until the collection has been looked at. */
  static final CollectionShape OURS = new CollectionShape(CollectionSetup.ID, CollectionSetup.VECTOR,
      CollectionSetup.PATH, CollectionSetup.PATH_MAX_LENGTH, true, true, true, MetricType.COSINE, "HNSW");

  /** What a search or a metadata read asks for: the primary key, the path and the file facts. */
  List<String> metadataFields() {
    return List.of(id, path, CollectionSetup.SHA256, CollectionSetup.SIZE, CollectionSetup.MTIME,
        CollectionSetup.INGESTED_AT);
  }

  /**
   * Which property of the collection keeps clip-search from adding rows, if one does; searching works either way.
   * Clip-search never invents primary keys, and new rows need somewhere for the file facts that make ingest
   * incremental (schema fields, or the dynamic field).
   */
  Optional<String> readOnlyBecause() {
    if (!autoId) {
      return Optional.of("its primary key '" + id + "' is not auto_id, and clip-search does not invent keys");
    }
    if (!made && !dynamicField) {
      return Optional.of("it has neither clip-search's fields (" + CollectionSetup.SHA256 + ", "
          + CollectionSetup.SIZE + ", " + CollectionSetup.MTIME + ", ...) nor a dynamic field, so the hash, size and "
          + "mtime that make ingest incremental have nowhere to go");
    }
    return Optional.empty();
  }

  /** {@code vector 'embedding', path 'filepath' (dynamic field), metric L2, index HNSW}: for logs. */
  String describe() {
    return "vector '" + vector + "', path '" + path + "'" + (made ? "" : " (other code's layout)") + ", metric "
        + metric + ", index " + indexType;
  }
}
