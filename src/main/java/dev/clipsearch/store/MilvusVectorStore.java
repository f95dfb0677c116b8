package dev.clipsearch.store;

import com.google.gson.JsonObject;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.service.collection.request.DescribeCollectionReq;
import io.milvus.v2.service.collection.request.DropCollectionReq;
import io.milvus.v2.service.collection.request.HasCollectionReq;
import io.milvus.v2.service.collection.request.LoadCollectionReq;
import io.milvus.v2.service.collection.response.DescribeCollectionResp;
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
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link VectorStore} on Milvus: an embedded Milvus Lite child process for a local-path URI, or any Milvus server for
 * an {@code http(s)://} URI. Open with {@link #open(StoreOptions)}, then call {@link #ensureCollection()} once.
 *
 * <p>Thread-safety: every method may be called from any thread. Reads (search, existingPaths, count) run concurrently
 * on the SDK's thread-safe gRPC client. Writes (ensureCollection, insert, deleteByPath) are serialised by one lock,
 * because Milvus Lite is single-writer per collection (docs/storage.md, "Reads and writes"). After {@link #close()}
 * every call fails with a {@link StoreException}.
 *
 * <p>Failures: every SDK or gRPC error becomes a {@link StoreException} (see {@link MilvusErrors}); every call has a
 * deadline and the SDK's retries are capped, so a dead server fails a call within seconds instead of hanging.
 * Caller mistakes (wrong vector length, empty path) are {@link IllegalArgumentException}s, checked before sending:
 * Lite reports such rejections with error codes the SDK cannot decode (docs/storage.md, "Lite quirks", 2).
 *
 * <p>Consistency: the metadata reads ({@code lookup}, {@code under}, {@code withContent}) and {@code count} read with
 * STRONG consistency, so they see rows written just before; search uses SESSION consistency (this store's own
 * writes are visible at once; other instances' writes once the server has applied them, well under a second on a
 * standalone; Lite is always current). {@code insert} sends batches of 500 rows: if a later batch
 * fails, earlier ones stay stored, and a re-run of ingest skips them through {@code lookup}.
 *
 * <p>Recovery ({@link Recovery}): if the embedded Lite child dies, calls fail at once with a
 * {@link StoreRestartingException} while a new child starts on the same data directory; if a remote server goes
 * away, calls fail at once while the store reconnects. A remote server that is unreachable at {@link #open} is
 * retried per {@link Backoff}.
 */
public final class MilvusVectorStore implements VectorStore {
  private static final Logger LOG = LoggerFactory.getLogger(MilvusVectorStore.class);
  private static final int INSERT_BATCH = 500;

  private final StoreOptions options;
  private final String version;
  /** The server is Milvus Lite (embedded, or reached by URI): its version string is "milvus_lite-3.x". */
  private final boolean serverIsLite;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Guards swapping {@link #backend} against {@link #close()}, so a restart never outlives the store. */
  private final Object lifecycle = new Object();
  private final Recovery recovery;
  private volatile Backend backend;
  /** ensureCollection has succeeded once, so a restarted Lite must load the collection again (Lite forgets loads). */
  private volatile boolean collectionPrepared;
  private volatile StoreCallObserver observer = StoreCallObserver.NONE;
  /** Where the collection keeps vectors, paths and file facts: read by {@link #ensureCollection()}. */
  private volatile CollectionShape shape = CollectionShape.OURS;

  private MilvusVectorStore(StoreOptions options, Backoff backoff, Backend backend, String version) {
    this.options = options;
    this.backend = backend;
    this.version = version;
    this.serverIsLite = backend.lite() != null || version.startsWith("milvus_lite");
    this.recovery = new Recovery(options, backoff, new Recovery.Host() {
      @Override
      public Backend current() {
        return MilvusVectorStore.this.backend;
      }

      @Override
      public boolean isClosed() {
        return closed.get();
      }

      @Override
      public void takeOver(Backend fresh) {
        if (collectionPrepared) {
          prepare(fresh); // Lite does not persist load state; a restarted server loads it only after a while
        }
        synchronized (lifecycle) {
          if (closed.get()) {
            throw new StoreException("the store was closed while recovering");
          }
          MilvusVectorStore.this.backend = fresh;
        }
      }
    });
    recovery.watch(backend);
  }

  /** Starts Milvus Lite (local URI) or connects to the server (http(s) URI), retrying per {@link Backoff#defaults}. */
  public static MilvusVectorStore open(StoreOptions options) {
    return open(options, Backoff.defaults());
  }

  /**
   * As {@link #open(StoreOptions)}; {@code backoff} bounds both the connection tries to a remote server and the
   * restarts of a dead Lite child. Does not touch the collection.
   */
  public static MilvusVectorStore open(StoreOptions options, Backoff backoff) {
    if (!options.isRemote()) {
      LiteLauncher lite = LiteLauncher.start(options.liteDataDir(), options.litePython(), options.liteStartTimeout());
      try {
        Clients.ensureDatabase(lite.uri(), options, true);
        MilvusClientV2 client = Clients.connect(lite.uri(), options, options.rpcDeadline(), true);
        return new MilvusVectorStore(options, backoff, new Backend(lite, client), connectCheck(client));
      } catch (RuntimeException e) {
        lite.close();
        throw MilvusErrors.translate("connect", "Milvus Lite at " + lite.uri(), e);
      }
    }
    String server = "Milvus at " + options.uri();
    long t0 = System.nanoTime();
    for (int attempt = 1; ; attempt++) {
      Recovery.sleep(backoff.delayBefore(attempt));
      MilvusClientV2 client = null;
      try {
        Clients.ensureDatabase(options.uri(), options, false);
        client = Clients.connect(options.uri(), options, options.rpcDeadline(), false);
        return new MilvusVectorStore(options, backoff, new Backend(null, client), connectCheck(client));
      } catch (RuntimeException e) {
        if (client != null) {
          Clients.closeQuietly(client);
        }
        StoreException se = MilvusErrors.translate("connect", server, e);
        // Only "not there (yet)" is worth waiting for; bad credentials or a refused request will not fix themselves.
        if (!MilvusErrors.isUnreachable(e) || attempt >= backoff.attempts()) {
          if (attempt > 1) {
            throw new StoreException(server + " is still unreachable after " + attempt + " attempts over "
                + (System.nanoTime() - t0) / 1_000_000_000 + " s; check that it runs and that --milvus points at it. "
                + "Last error: " + se.getMessage(), e);
          }
          throw se;
        }
        LOG.warn("{} (attempt {}/{}); retrying in {} ms", se.getMessage(), attempt, backoff.attempts(),
            backoff.delayBefore(attempt + 1).toMillis());
      }
    }
  }

  private static String connectCheck(MilvusClientV2 client) {
    try {
      return client.getServerVersion();
    } catch (RuntimeException e) {
      Clients.closeQuietly(client);
      throw e;
    }
  }

  /** Reports every server call to {@code o} (operation, duration, success), e.g. for Prometheus metrics. */
  public void observe(StoreCallObserver o) {
    this.observer = o == null ? StoreCallObserver.NONE : o;
  }

  @Override
  public void ensureCollection() {
    write("prepare", "prepare collection " + options.collection(), c -> {
      prepare(backend);
      collectionPrepared = true;
      return null;
    });
  }

  /**
   * Creating or loading may build an index (Lite builds HNSW inside load: minutes for 10k+ rows on a slow CPU), so it
   * runs on a short-lived client whose deadline is the load deadline, not the per-call one.
   */
  private void prepare(Backend b) {
    MilvusClientV2 admin = Clients.connect(uri(b), options, options.loadDeadline(), b.lite() != null);
    try {
      shape = CollectionSetup.ensure(admin, options);
    } finally {
      Clients.closeQuietly(admin);
    }
  }

  /** True once {@link #ensureCollection()} found (or made) clip-search's own layout, not other code's. */
  public boolean hasOwnLayout() {
    return shape.made();
  }

  /**
   * Another collection on the same server, to be read and never written ({@link SourceCollection}): the source of
   * a migration. It is loaded for queries, which changes no row.
   *
   * @param vectorField its vector field, unless clip-search made it
   * @param pathField its image path (a VarChar field or a dynamic key), unless clip-search made it
   */
  public SourceCollection source(String name, String vectorField, String pathField) {
    return read("prepare", "open collection " + name + " to read it", c -> {
      MilvusClientV2 admin = Clients.connect(uri(backend), options, options.loadDeadline(), backend.lite() != null);
      try {
        if (!admin.hasCollection(HasCollectionReq.builder().collectionName(name).build())) {
          throw new StoreException("there is no collection " + name + " on " + server(backend));
        }
        DescribeCollectionResp d = admin.describeCollection(DescribeCollectionReq.builder().collectionName(name)
            .build());
        CollectionSetup.Layout layout = CollectionSetup.layout(d.getCollectionSchema(), name, vectorField, pathField);
        var idx = CollectionSetup.vectorIndex(admin, name, layout.vector().getName());
        if (idx == null) {
          throw new StoreException("collection " + name + " has no index on its vector field '"
              + layout.vector().getName() + "': Milvus reads only a loaded collection and loads only an indexed one, "
              + "and migrate never writes to its source; index it with the code that made it, then migrate");
        }
        admin.loadCollection(LoadCollectionReq.builder().collectionName(name).sync(true)
            .timeout(options.loadDeadline().toMillis()).build());
        return new SourceCollection(name, layout, idx.getMetricType().name(), d.getProperties(),
            f -> read("query", "read collection " + name, f));
      } finally {
        Clients.closeQuietly(admin);
      }
    });
  }

  @Override
  public int insert(List<ImageRecord> rows) {
    if (rows.isEmpty()) {
      return 0;
    }
    CollectionShape into = shape; // one read: the rows are shaped for the collection that was checked
    requireWritable(into);
    List<JsonObject> data = new ArrayList<>(rows.size());
    for (ImageRecord r : rows) {
      data.add(Rows.json(r, options, into));
    }
    return write("insert", "insert " + rows.size() + " rows into " + options.collection(), client -> {
      long stored = 0;
      for (List<JsonObject> batch : MilvusFilters.chunks(data, INSERT_BATCH)) {
        stored += client.insert(InsertReq.builder().collectionName(options.collection()).data(batch).build())
            .getInsertCnt();
      }
      if (serverIsLite) {
        // Lite workaround (docs/storage.md, "Flush policy"; measured with MilvusStoreBenchIT and pymilvus): on every
        // search Lite rebuilds NumPy arrays from its in-memory table of Python rows, which it only flushes at 10k rows.
        // With 1k rows there a search took ~50-120 ms; flushed to an indexed segment, 3-10 ms. A flush costs 30-150 ms
        // and Lite compacts the small segments. Real Milvus seals segments itself and rate-limits flush: not flushed.
        client.flush(FlushReq.builder().collectionNames(List.of(options.collection())).build());
      }
      return (int) stored;
    });
  }

  @Override
  public void requireWritable() {
    requireWritable(shape);
  }

  private void requireWritable(CollectionShape checked) {
    Optional<String> because = checked.readOnlyBecause();
    if (because.isPresent()) {
      throw new ReadOnlyCollectionException(options.collection(), because.get());
    }
  }

  @Override
  public List<Hit> search(float[] vector, int k, SearchFilter filter) {
    Rows.checkVector(vector, "query", options);
    CollectionShape in = shape;
    SearchReq.SearchReqBuilder req = SearchReq.builder().collectionName(options.collection())
        .annsField(in.vector()).data(List.of(new FloatVec(vector))).limit(k)
        // The caption is a key of the dynamic field; a collection of other code without one has no captions.
        .outputFields(in.dynamicField() ? List.of(in.path(), CollectionSetup.CAPTION) : List.of(in.path()))
        // Read-your-writes without STRONG's wait for the server's time tick (~150 ms per search on 2.3.5): SESSION
        // waits only for this client's own last write. The collection's default (Bounded) searches whatever the
        // query node has consumed, so rows just inserted are missing for a moment. Lite is always current.
        .consistencyLevel(ConsistencyLevel.SESSION);
    String expr = MilvusFilters.of(filter, in.path());
    if (expr != null) {
      req.filter(expr);
    }
    // A collection made by other code is searched with its server's defaults, as its own code searches it, so both
    // return the same rows (compared with the tutorial's search in ForeignCollectionIT).
    if (in.made() && options.indexType() == StoreOptions.IndexKind.HNSW) {
      req.searchParams(Map.of("ef", Math.max(options.searchEf(), k))); // HNSW needs ef >= k
    }
    SearchResp resp = read("search", "search " + options.collection(), c -> c.search(req.build()));
    List<Hit> hits = new ArrayList<>(k);
    for (SearchResp.SearchResult r : resp.getSearchResults().isEmpty() ? List.<SearchResp.SearchResult>of()
        : resp.getSearchResults().get(0)) {
      Object path = r.getEntity().get(in.path());
      Object caption = r.getEntity().get(CollectionSetup.CAPTION); // absent on rows stored without one
      hits.add(new Hit(((Number) r.getId()).longValue(), path == null ? "" : path.toString(), r.getScore(),
          caption instanceof String c ? c : ""));
    }
    return hits;
  }

  @Override
  public List<StoredImage> lookup(Collection<String> paths) {
    return read("query", "look up stored paths in " + options.collection(),
        c -> MetadataQueries.byPaths(c, options.collection(), shape, paths));
  }

  @Override
  public List<StoredImage> withContent(String sha256) {
    if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("not a lower-case hex SHA-256: " + sha256);
    }
    return read("query", "look up content in " + options.collection(), c -> MetadataQueries.query(c,
        options.collection(), shape, MilvusFilters.equalTo(CollectionSetup.SHA256, sha256)));
  }

  @Override
  public List<StoredImage> under(String folder) {
    String prefix = SearchFilter.under(folder).folderPrefix();
    CollectionShape in = shape;
    return read("query", "list " + prefix + " in " + options.collection(), c -> MetadataQueries.all(c,
        options.collection(), in, MilvusFilters.startsWith(in.path(), prefix)));
  }

  @Override
  public long count() {
    QueryResp resp = read("count", "count rows in " + options.collection(), c -> c.query(
        QueryReq.builder().collectionName(options.collection()).outputFields(List.of("count(*)"))
            .consistencyLevel(ConsistencyLevel.STRONG).build()));
    List<QueryResp.QueryResult> results = resp.getQueryResults();
    return results.isEmpty() ? 0 : ((Number) results.get(0).getEntity().get("count(*)")).longValue();
  }

  /** The cheapest round trip (server version): for readiness probes. */
  @Override
  public void ping() {
    read("ping", "answer a ping", MilvusClientV2::getServerVersion);
  }

  @Override
  public long deleteByPath(String path) {
    CollectionShape in = shape;
    Rows.checkPath(path, options, in.pathMaxLength());
    return write("delete", "delete " + path + " from " + options.collection(), c -> c.delete(
        DeleteReq.builder().collectionName(options.collection())
            .filter(MilvusFilters.equalTo(in.path(), path)).build()).getDeleteCnt());
  }

  @Override
  public long deleteIds(Collection<Long> ids) {
    if (ids.isEmpty()) {
      return 0;
    }
    return write("delete", "delete " + ids.size() + " rows from " + options.collection(), c -> {
      for (List<Long> chunk : MilvusFilters.chunks(ids, MetadataQueries.PAGE)) {
        c.delete(DeleteReq.builder().collectionName(options.collection()).ids(new ArrayList<>(chunk)).build());
      }
      return (long) ids.size();
    });
  }

  @Override
  public Optional<CollectionStats> stats() {
    boolean exists = read("describe", "look for collection " + options.collection(),
        c -> c.hasCollection(HasCollectionReq.builder().collectionName(options.collection()).build()));
    if (!exists) {
      return Optional.empty();
    }
    if (!collectionPrepared) {
      ensureCollection(); // counting needs the collection loaded (Lite forgets loads on restart)
    }
    long rows = count();
    CollectionShape in = shape;
    return Optional.of(read("describe", "describe " + options.collection(),
        c -> CollectionStats.read(c, options.collection(), rows, in)));
  }

  @Override
  public boolean dropCollection() {
    return write("drop", "drop collection " + options.collection(), c -> {
      boolean existed = c.hasCollection(HasCollectionReq.builder().collectionName(options.collection()).build());
      if (existed) {
        c.dropCollection(DropCollectionReq.builder().collectionName(options.collection()).build());
        collectionPrepared = false;
      }
      return existed;
    });
  }

  @Override
  public String describe() {
    LiteLauncher lite = backend.lite();
    return (lite != null
        ? "Milvus Lite " + lite.version() + " (embedded, data " + lite.dataDir() + ", " + lite.uri() + ")"
        : "Milvus " + version + " at " + options.uri())
        + (options.database() == null ? "" : ", database " + options.database()) + ", collection "
        + options.collection();
  }

  StoreOptions options() {
    return options;
  }

  /** The embedded server now serving, or null for a remote one (tests use it to kill the child). */
  public LiteLauncher lite() {
    return backend.lite();
  }

  @Override
  public void close() {
    synchronized (lifecycle) {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
    }
    Backend b = backend;
    recovery.close();
    Clients.closeQuietly(b.client());
    if (b.lite() != null) {
      b.lite().close();
    }
  }

  private String uri(Backend b) {
    return b.lite() != null ? b.lite().uri() : options.uri();
  }

  private String server(Backend b) {
    return b.lite() != null ? "Milvus Lite at " + b.lite().uri() : "Milvus at " + options.uri();
  }

  private <T> T read(String op, String action, Function<MilvusClientV2, T> call) {
    if (closed.get()) {
      throw new StoreException("cannot " + action + ": the vector store is closed");
    }
    Backend b = backend;
    // The SDK's calls wait for a connection until their deadline (gRPC wait-for-ready), so a call to a dead server
    // takes the whole deadline. For the embedded server we know better, and at once.
    StoreException down = recovery.downReason(b, action, null);
    if (down != null) {
      throw down;
    }
    long t0 = System.nanoTime();
    boolean ok = false;
    try {
      T result = call.apply(b.client());
      ok = true;
      return result;
    } catch (RuntimeException e) {
      down = recovery.downReason(b, action, e);
      throw down != null ? down : MilvusErrors.translate(action, server(b), e);
    } finally {
      observer.called(op, System.nanoTime() - t0, ok);
    }
  }

  private <T> T write(String op, String action, Function<MilvusClientV2, T> call) {
    writeLock.lock(); // Milvus Lite is single-writer per collection: serialise all writes
    try {
      return read(op, action, call);
    } finally {
      writeLock.unlock();
    }
  }
}
