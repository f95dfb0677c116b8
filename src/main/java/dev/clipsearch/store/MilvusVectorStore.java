package dev.clipsearch.store;

import com.google.gson.JsonObject;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.service.utility.request.FlushReq;
import io.milvus.v2.service.vector.request.DeleteReq;
import io.milvus.v2.service.vector.request.InsertReq;
import io.milvus.v2.service.vector.request.QueryReq;
import io.milvus.v2.service.vector.request.SearchReq;
import io.milvus.v2.service.vector.request.data.FloatVec;
import io.milvus.v2.service.vector.response.QueryResp;
import io.milvus.v2.service.vector.response.SearchResp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * {@link VectorStore} on Milvus: an embedded Milvus Lite child process for a local-path URI, or any Milvus server for
 * an {@code http(s)://} URI. Open with {@link #open(StoreOptions)}, then call {@link #ensureCollection()} once.
 *
 * <p>Thread-safety: every method may be called from any thread. Reads (search, existingPaths, count) run concurrently
 * on the SDK's thread-safe gRPC client. Writes (ensureCollection, insert, deleteByPath) are serialised by one lock,
 * because Milvus Lite is single-writer per collection (shared/docs/milvus.md §3.6). After {@link #close()} every call
 * fails with a {@link StoreException}.
 *
 * <p>Failures: every SDK or gRPC error becomes a {@link StoreException} (see {@link MilvusErrors}); every call has a
 * deadline and the SDK's retries are capped, so a dead server fails a call within seconds instead of hanging.
 * Caller mistakes (wrong vector length, empty path) are {@link IllegalArgumentException}s, checked before sending:
 * Lite reports such rejections with error codes the SDK cannot decode (shared/docs/milvus.md §3.4 #2).
 *
 * <p>Consistency: the metadata reads ({@code lookup}, {@code under}, {@code withContent}) and {@code count} read with
 * STRONG consistency, so they see rows written just before; search uses the collection's default (Lite: always
 * current; Milvus: bounded staleness, about a second). {@code insert} sends batches of 500 rows: if a later batch
 * fails, earlier ones stay stored, and a re-run of ingest skips them through {@code lookup}.
 */
public final class MilvusVectorStore implements VectorStore {
  private static final int INSERT_BATCH = 500;
  /** Milvus's cap on topK. */
  private static final int MAX_K = 16_384;

  private final StoreOptions options;
  private final LiteLauncher lite; // null for a remote server
  private final MilvusClientV2 client;
  private final String server;
  private final String description;
  /** The server is Milvus Lite (embedded, or reached by URI): its version string is "milvus_lite-3.x". */
  private final boolean serverIsLite;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile int pathMaxLength = CollectionSetup.PATH_MAX_LENGTH;

  private MilvusVectorStore(StoreOptions options, LiteLauncher lite, MilvusClientV2 client, String version) {
    this.options = options;
    this.lite = lite;
    this.client = client;
    this.serverIsLite = lite != null || version.startsWith("milvus_lite");
    this.server = lite != null ? "Milvus Lite at " + lite.uri() : "Milvus at " + options.uri();
    this.description = (lite != null
        ? "Milvus Lite " + lite.version() + " (embedded, data " + lite.dataDir() + ", " + lite.uri() + ")"
        : "Milvus " + version + " at " + options.uri()) + ", collection " + options.collection();
  }

  /** Starts Milvus Lite (local URI) or connects to the server (http(s) URI). Does not touch the collection. */
  public static MilvusVectorStore open(StoreOptions options) {
    LiteLauncher lite = options.isRemote() ? null
        : LiteLauncher.start(options.liteDataDir(), options.litePython(), options.liteStartTimeout());
    String uri = lite != null ? lite.uri() : options.uri();
    MilvusClientV2 client = null;
    try {
      client = Clients.connect(uri, options, options.rpcDeadline(), lite != null);
      String version = client.getServerVersion();
      return new MilvusVectorStore(options, lite, client, version);
    } catch (RuntimeException e) {
      if (client != null) {
        Clients.closeQuietly(client);
      }
      if (lite != null) {
        lite.close();
      }
      throw MilvusErrors.translate("connect", (lite != null ? "Milvus Lite at " : "Milvus at ") + uri, e);
    }
  }

  @Override
  public void ensureCollection() {
    write("prepare collection " + options.collection(), () -> {
      // Creating or loading may build an index (Lite builds HNSW inside load: minutes for 10k+ rows on a slow CPU),
      // so it runs on a short-lived client whose deadline is the load deadline, not the per-call one.
      MilvusClientV2 admin = Clients.connect(lite != null ? lite.uri() : options.uri(), options, options.loadDeadline(),
          lite != null);
      try {
        pathMaxLength = CollectionSetup.ensure(admin, options);
      } finally {
        Clients.closeQuietly(admin);
      }
      return null;
    });
  }

  @Override
  public int insert(List<ImageRecord> rows) {
    List<JsonObject> data = new ArrayList<>(rows.size());
    for (ImageRecord r : rows) {
      data.add(Rows.json(r, options, pathMaxLength));
    }
    if (data.isEmpty()) {
      return 0;
    }
    return write("insert " + rows.size() + " rows into " + options.collection(), () -> {
      long stored = 0;
      for (List<JsonObject> batch : MilvusFilters.chunks(data, INSERT_BATCH)) {
        stored += client.insert(InsertReq.builder().collectionName(options.collection()).data(batch).build())
            .getInsertCnt();
      }
      if (serverIsLite) {
        // Lite workaround (not in milvus.md; measured with MilvusStoreBenchIT and pymilvus): on every search Lite
        // rebuilds NumPy arrays from its in-memory table of Python rows, which it only flushes at 10k rows. With 1k
        // rows there a search took ~50-120 ms; flushed to an indexed segment, 3-10 ms. A flush costs 30-150 ms and
        // Lite compacts the small segments. Real Milvus seals segments itself and rate-limits flush: not flushed.
        client.flush(FlushReq.builder().collectionNames(List.of(options.collection())).build());
      }
      return (int) stored;
    });
  }

  @Override
  public List<Hit> search(float[] vector, int k, SearchFilter filter) {
    Rows.checkVector(vector, "query", options);
    if (k < 1 || k > MAX_K) {
      throw new IllegalArgumentException("k must be in 1.." + MAX_K + ", got " + k);
    }
    SearchReq.SearchReqBuilder req = SearchReq.builder().collectionName(options.collection())
        .annsField(CollectionSetup.VECTOR).data(List.of(new FloatVec(vector))).limit(k)
        .outputFields(List.of(CollectionSetup.PATH));
    String expr = MilvusFilters.of(filter);
    if (expr != null) {
      req.filter(expr);
    }
    if (options.indexType() == StoreOptions.IndexKind.HNSW) {
      req.searchParams(Map.of("ef", Math.max(options.searchEf(), k))); // HNSW needs ef >= k
    }
    SearchResp resp = read("search " + options.collection(), () -> client.search(req.build()));
    List<Hit> hits = new ArrayList<>(k);
    for (SearchResp.SearchResult r : resp.getSearchResults().isEmpty() ? List.<SearchResp.SearchResult>of()
        : resp.getSearchResults().get(0)) {
      hits.add(new Hit(((Number) r.getId()).longValue(), (String) r.getEntity().get(CollectionSetup.PATH),
          r.getScore()));
    }
    return hits;
  }

  @Override
  public List<StoredImage> lookup(Collection<String> paths) {
    return read("look up stored paths in " + options.collection(),
        () -> MetadataQueries.byPaths(client, options.collection(), paths, pathMaxLength));
  }

  @Override
  public List<StoredImage> withContent(String sha256) {
    if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("not a lower-case hex SHA-256: " + sha256);
    }
    return read("look up content in " + options.collection(), () -> MetadataQueries.query(client,
        options.collection(), MilvusFilters.equalTo(CollectionSetup.SHA256, sha256)));
  }

  @Override
  public List<StoredImage> under(String folder) {
    String prefix = SearchFilter.under(folder).folderPrefix();
    return read("list " + prefix + " in " + options.collection(), () -> MetadataQueries.all(client,
        options.collection(), MilvusFilters.startsWith(CollectionSetup.PATH, prefix)));
  }

  @Override
  public long count() {
    QueryResp resp = read("count rows in " + options.collection(), () -> client.query(
        QueryReq.builder().collectionName(options.collection()).outputFields(List.of("count(*)"))
            .consistencyLevel(ConsistencyLevel.STRONG).build()));
    List<QueryResp.QueryResult> results = resp.getQueryResults();
    return results.isEmpty() ? 0 : ((Number) results.get(0).getEntity().get("count(*)")).longValue();
  }

  @Override
  public long deleteByPath(String path) {
    Rows.checkPath(path, options, pathMaxLength);
    return write("delete " + path + " from " + options.collection(), () -> client.delete(
        DeleteReq.builder().collectionName(options.collection())
            .filter(MilvusFilters.equalTo(CollectionSetup.PATH, path)).build()).getDeleteCnt());
  }

  @Override
  public long deleteIds(Collection<Long> ids) {
    if (ids.isEmpty()) {
      return 0;
    }
    return write("delete " + ids.size() + " rows from " + options.collection(), () -> {
      for (List<Long> chunk : MilvusFilters.chunks(ids, MetadataQueries.PAGE)) {
        client.delete(DeleteReq.builder().collectionName(options.collection()).ids(new ArrayList<>(chunk)).build());
      }
      return (long) ids.size();
    });
  }

  @Override
  public String describe() {
    return description;
  }

  StoreOptions options() {
    return options;
  }

  /** The embedded server, or null for a remote one (tests use it to kill the child). */
  LiteLauncher lite() {
    return lite;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      Clients.closeQuietly(client);
      if (lite != null) {
        lite.close();
      }
    }
  }

  private <T> T read(String action, Supplier<T> call) {
    if (closed.get()) {
      throw new StoreException("cannot " + action + ": the vector store is closed");
    }
    // The SDK's calls wait for a connection until their deadline (gRPC wait-for-ready), so a call to a dead server
    // takes the whole deadline. For the embedded server we know better, and at once.
    String dead = lite != null ? lite.exitReport() : null;
    if (dead != null) {
      throw new StoreException(server + " is unreachable (could not " + action + "): " + dead);
    }
    try {
      return call.get();
    } catch (RuntimeException e) {
      dead = lite != null ? lite.exitReport() : null;
      throw dead != null ? new StoreException(server + " is unreachable (could not " + action + "): " + dead, e)
          : MilvusErrors.translate(action, server, e);
    }
  }

  private <T> T write(String action, Supplier<T> call) {
    writeLock.lock(); // Milvus Lite is single-writer per collection (shared/docs/milvus.md §3.6): serialise all writes
    try {
      return read(action, call);
    } finally {
      writeLock.unlock();
    }
  }
}
