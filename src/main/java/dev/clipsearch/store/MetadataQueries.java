package dev.clipsearch.store;

import io.milvus.orm.iterator.QueryIterator;
import io.milvus.response.QueryResultsWrapper;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.service.vector.request.QueryIteratorReq;
import io.milvus.v2.service.vector.request.QueryReq;
import io.milvus.v2.service.vector.response.QueryResp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The metadata reads ingest relies on. All read with STRONG consistency: ingest must see the rows it wrote a moment
 * ago, or it would insert them again. Callers wrap these in {@link MilvusVectorStore}'s error translation.
 */
final class MetadataQueries {
  /** Paths per {@code filepath in [...]} query: bounds the filter's size and the result's row count. */
  private static final int PATHS_PER_QUERY = 100;
  /** Rows per page when listing a folder (Milvus caps one query at 16384 rows, so larger sets are paged by id). */
  static final int PAGE = 1000;

  private MetadataQueries() {}

  static List<StoredImage> byPaths(MilvusClientV2 client, String collection, CollectionShape shape,
      Collection<String> paths) {
    Set<String> wanted = new LinkedHashSet<>();
    for (String p : paths) {
      // A path the field could not hold was never stored; asking for it would only get the query rejected.
      if (p != null && !p.isEmpty() && Rows.utf8Length(p) <= shape.pathMaxLength()) {
        wanted.add(p);
      }
    }
    List<StoredImage> found = new ArrayList<>();
    for (List<String> chunk : MilvusFilters.chunks(wanted, PATHS_PER_QUERY)) {
      found.addAll(query(client, collection, shape, MilvusFilters.in(shape.path(), chunk)));
    }
    return found;
  }

  static List<StoredImage> query(MilvusClientV2 client, String collection, CollectionShape shape, String filter) {
    QueryResp resp = client.query(QueryReq.builder().collectionName(collection).filter(filter)
        .outputFields(shape.metadataFields())
        .consistencyLevel(ConsistencyLevel.STRONG).build());
    List<StoredImage> out = new ArrayList<>();
    for (QueryResp.QueryResult r : resp.getQueryResults()) {
      out.add(stored(r.getEntity(), shape));
    }
    return out;
  }

  /**
   * Every row matching {@code filter}, through the SDK's query iterator (pages of {@link #PAGE} ordered by primary
   * key with a {@code id > last} cursor). Lite 3 implements the iterator's "iterator" flag and orders its pages by
   * primary key for it (adapter/grpc/servicer.py), so this also lists more rows than one query may return.
   */
  static List<StoredImage> all(MilvusClientV2 client, String collection, CollectionShape shape, String filter) {
    // Milvus 2.3 workaround (measured against the 2.3.5 standalone): the SDK's iterator takes its snapshot from an
    // MVCC timestamp that servers before 2.4 do not return; its fallback (a client-side timestamp) does not make the
    // server wait for recent writes, so rows inserted a moment ago were missing from every page. One STRONG query
    // first waits until the server has applied them. Cheap, and a no-op on Lite.
    client.query(QueryReq.builder().collectionName(collection).filter(filter).outputFields(List.of(shape.id()))
        .limit(1).consistencyLevel(ConsistencyLevel.STRONG).build());
    QueryIterator it = client.queryIterator(QueryIteratorReq.builder().collectionName(collection).expr(filter)
        .outputFields(shape.metadataFields()).batchSize(PAGE).consistencyLevel(ConsistencyLevel.STRONG).build());
    List<StoredImage> out = new ArrayList<>();
    try {
      for (List<QueryResultsWrapper.RowRecord> page = it.next(); !page.isEmpty(); page = it.next()) {
        for (QueryResultsWrapper.RowRecord r : page) {
          out.add(stored(r.getFieldValues(), shape));
        }
      }
    } finally {
      it.close();
    }
    return out;
  }

  /** A row's metadata; a row written by other code lacks the file facts, which read as "" and 0. */
  private static StoredImage stored(Map<String, Object> e, CollectionShape shape) {
    return new StoredImage(number(e.get(shape.id())), (String) e.get(shape.path()),
        e.get(CollectionSetup.SHA256) == null ? "" : (String) e.get(CollectionSetup.SHA256),
        number(e.get(CollectionSetup.SIZE)), number(e.get(CollectionSetup.MTIME)),
        number(e.get(CollectionSetup.INGESTED_AT)));
  }

  private static long number(Object o) {
    return o == null ? 0 : ((Number) o).longValue();
  }
}
