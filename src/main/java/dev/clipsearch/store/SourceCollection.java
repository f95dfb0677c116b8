package dev.clipsearch.store;

import io.milvus.orm.iterator.QueryIterator;
import io.milvus.response.QueryResultsWrapper;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.service.vector.request.QueryIteratorReq;
import io.milvus.v2.service.vector.request.QueryReq;
import io.milvus.v2.service.vector.response.QueryResp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A collection read for a migration, and only read: this class has no call that writes (no insert, delete, index or
 * property change), so the source of {@code clip-search migrate} cannot be modified through it. Loading it for queries
 * changes no row. Made by {@link MilvusVectorStore#source}; calls go through that store's client and error handling.
 *
 * <p>Thread-safety: as the store's reads; one {@link #forEachPage} at a time per caller.
 */
public final class SourceCollection {
  /** One row as the source holds it. */
  public record Row(long id, String path, float[] vector) {}

  /** Rows per page: the iterator's batch (Milvus caps one query at 16384 rows). */
  static final int PAGE = 1000;

  private final String name;
  private final CollectionSetup.Layout layout;
  private final String metric;
  private final Optional<ModelStamp> model;
  private final Function<Function<MilvusClientV2, Object>, Object> reads;

  SourceCollection(String name, CollectionSetup.Layout layout, String metric, Map<String, String> properties,
      Function<Function<MilvusClientV2, Object>, Object> reads) {
    this.name = name;
    this.layout = layout;
    this.metric = metric;
    this.model = ModelStamp.fromProperties(properties == null ? Map.of() : properties);
    this.reads = reads;
  }

  public String name() {
    return name;
  }

  public int dimension() {
    return layout.vector().getDimension();
  }

  /** The metric its vector index ranks by: COSINE, IP or L2 (as Milvus names them). */
  public String metric() {
    return metric;
  }

  /** The model recorded in the source, if clip-search recorded one (collections made by other code have none). */
  public Optional<ModelStamp> model() {
    return model;
  }

  /** {@code key 'id', vector 'vector', path 'filepath'}: for the report. */
  public String describe() {
    return "key '" + layout.id().getName() + "', vector '" + layout.vector().getName() + "', path '" + layout.path()
        + "', metric " + metric;
  }

  /** The row count, read with STRONG consistency. */
  public long count() {
    QueryResp resp = (QueryResp) reads.apply(c -> c.query(QueryReq.builder().collectionName(name)
        .outputFields(List.of("count(*)")).consistencyLevel(ConsistencyLevel.STRONG).build()));
    List<QueryResp.QueryResult> results = resp.getQueryResults();
    return results.isEmpty() ? 0 : ((Number) results.get(0).getEntity().get("count(*)")).longValue();
  }

  /**
   * Hands every row to {@code page} in pages of up to {@link #PAGE}, in primary-key order (the query iterator's
   * order on Milvus and Lite), so two passes over an unchanged source see the same rows in the same order.
   */
  public void forEachPage(Consumer<List<Row>> page) {
    String key = layout.id().getName();
    String vector = layout.vector().getName();
    String path = layout.path();
    QueryIterator it = (QueryIterator) reads.apply(c -> {
      // As MetadataQueries.all: one STRONG query first makes a 2.3 server apply recent writes before the iterator.
      // The filter matches any key (its result is not used); a query with a limit and no filter is not portable.
      c.query(QueryReq.builder().collectionName(name).filter(key + " != -1").outputFields(List.of(key)).limit(1)
          .consistencyLevel(ConsistencyLevel.STRONG).build());
      return c.queryIterator(QueryIteratorReq.builder().collectionName(name).outputFields(List.of(key, vector, path))
          .batchSize(PAGE).consistencyLevel(ConsistencyLevel.STRONG).build());
    });
    try {
      while (true) {
        // the page's consumer runs outside the store's error translation: its own failures keep their meaning
        @SuppressWarnings("unchecked")
        List<QueryResultsWrapper.RowRecord> rows = (List<QueryResultsWrapper.RowRecord>) reads.apply(c -> it.next());
        if (rows.isEmpty()) {
          return;
        }
        List<Row> out = new ArrayList<>(rows.size());
        for (QueryResultsWrapper.RowRecord r : rows) {
          Object p = r.get(path);
          out.add(new Row(((Number) r.get(key)).longValue(), p == null ? "" : p.toString(), floats(r.get(vector))));
        }
        out.sort(java.util.Comparator.comparingLong(Row::id)); // pages are key ranges; within one, order by key too
        page.accept(out);
      }
    } finally {
      it.close();
    }
  }

  private static float[] floats(Object v) {
    @SuppressWarnings("unchecked")
    List<Float> list = (List<Float>) v;
    float[] out = new float[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.get(i);
    }
    return out;
  }
}
