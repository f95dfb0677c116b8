package dev.clipsearch.config;

import dev.clipsearch.model.image.DecoderChoice;
import dev.clipsearch.model.runtime.ComputeDevice.Precision;
import dev.clipsearch.model.runtime.DeviceRequest;
import dev.clipsearch.model.runtime.ImageTransfer;
import dev.clipsearch.store.StoreOptions.IndexKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Every setting of the server, typed, grouped by the component it configures. Built only by {@link ConfigLoader},
 * which has parsed and checked each value (see {@link Settings} for what each one means); logged with secrets
 * redacted ({@link #toString()}).
 */
public record ServerConfig(
    Path home,
    Path model,
    Path dataDir,
    Model runtime,
    Batching textBatch,
    Batching imageBatch,
    Engine engine,
    Store store,
    Web web,
    Logging logging) {

  /**
   * @param precision auto picks per machine at start (on CPU: bf16 on AMX, else fp32)
   * @param blasThreads OpenBLAS threads, 0 = the precision's default; also the decode threads of bulk ingest and eval
   */
  public record Model(DeviceRequest device, Precision precision, int blasThreads, int textCacheEntries) {
    /** Bulk decode workers (ingest, eval): as many as OpenBLAS threads when set, else one per core. */
    public int decodeThreads() {
      return blasThreads > 0 ? blasThreads : Runtime.getRuntime().availableProcessors();
    }
  }

  /** @param maxBatch largest batch; @param maxDelayMicros how long the oldest request waits for company */
  public record Batching(int maxBatch, long maxDelayMicros, int queueCapacity) {}

  /**
   * The throughput engine's knobs besides the batch policies.
   *
   * @param batchesInFlight per tower: 2 = stage the next batch while the model computes the current one
   * @param torchThreads LibTorch intra-op threads, 0 = the precision's default (OpenBLAS threads are
   *     {@link Model#blasThreads()})
   * @param requestWorkers threads that run API calls (each blocks on the encoder, then on the store); bounds how many
   *     requests can share a batch
   * @param ingestWorkers of those, how many may run ingests at once
   * @param metricsLogSeconds period of the one-line metrics summary per tower; 0 = only at shutdown
   */
  public record Engine(int batchesInFlight, ImageTransfer imageTransfer, int torchThreads, int requestWorkers,
      int ingestWorkers, int metricsLogSeconds, DecoderChoice imageDecoder) {}

  /**
   * @param uri a local directory (embedded Milvus Lite with that data directory) or http(s)://host:port
   * @param token empty for none; a secret, never logged
   * @param database the Milvus database (created if missing); empty = the server's default
   * @param adoptCollection record the model in use in a collection that has no model record yet
   * @param python the Python that runs Milvus Lite (embedded mode only)
   */
  public record Store(String uri, String token, String database, String collection, boolean adoptCollection,
      Fields fields, String python, IndexKind index, int hnswM, int hnswEfConstruction, int searchEf,
      Duration rpcDeadline, Duration loadDeadline) {
    @Override
    public String toString() {
      return "Store[uri=" + uri + ", token=" + (token.isEmpty() ? "none" : "***")
          + (database.isEmpty() ? "" : ", database=" + database) + ", collection=" + collection
          + (adoptCollection ? ", adoptCollection" : "") + ", " + fields + ", python=" + python + ", index=" + index
          + ", hnswM=" + hnswM + ", hnswEfConstruction=" + hnswEfConstruction + ", searchEf=" + searchEf
          + ", rpcDeadline=" + rpcDeadline + ", loadDeadline=" + loadDeadline + "]";
    }
  }

  /**
   * How to read an existing collection made by other code (the Milvus tutorial's, say); ignored for one clip-search
   * makes.
   *
   * @param vector the vector field
   * @param path the image path: a VarChar field or a key of the dynamic field
   * @param createIndex build a vector index when the collection has none
   */
  public record Fields(String vector, String path, boolean createIndex) {}

  /**
   * @param ui the page at /: {@code default} (the project's page), {@code gradio} (Gradio's own frontend) or the
   *     absolute path of a folder of static files
   * @param apiToken when non-empty, required (Bearer or X-Api-Token) for upload and ingest; a secret, never logged
   * @param apiTokenForAll require the token on every route but the health probes
   * @param corsOrigins the only origins CORS grants (scheme://host[:port]); empty = Gradio's echo policy
   * @param uploadQuotaBytes space for uploads that were not ingested (least recently used evicted)
   * @param uploadTtlHours uploads older than this that were not ingested are deleted
   * @param queryCacheBytes searched-with images kept after their search
   * @param thumbnailCacheBytes gallery thumbnails kept on disk
   */
  public record Web(String host, int port, long maxUploadBytes, String ui, String apiToken, boolean apiTokenForAll,
      List<String> corsOrigins, long uploadQuotaBytes, int uploadTtlHours, long queryCacheBytes,
      long thumbnailCacheBytes, Connections connections) {
    public Web {
      corsOrigins = List.copyOf(corsOrigins);
    }

    @Override
    public String toString() {
      return "Web[host=" + host + ", port=" + port + ", maxUploadBytes=" + maxUploadBytes + ", ui=" + ui
          + ", apiToken=" + (apiToken.isEmpty() ? "none" : "***") + ", apiTokenForAll=" + apiTokenForAll
          + ", corsOrigins=" + (corsOrigins.isEmpty() ? "gradio-default" : corsOrigins) + ", uploadQuotaMb="
          + (uploadQuotaBytes >> 20) + ", uploadTtlHours=" + uploadTtlHours + ", queryCacheMb=" + (queryCacheBytes >> 20)
          + ", thumbnailCacheMb=" + (thumbnailCacheBytes >> 20) + ", " + connections + "]";
    }
  }

  /**
   * @param verbose {@code -v}: log at INFO on the commands that are otherwise quiet (all but serve)
   * @param levelGiven CLIPSRV_LOG_LEVEL was set: logback applied it, and nothing overrides it
   */
  public record Logging(boolean verbose, boolean levelGiven) {}

  /**
   * Connection-level bounds (see {@code web.ConnectionLimits}), and each client's share of the request queue.
   *
   * @param queuedPerClient calls of one client address waiting for a request worker
   */
  public record Connections(int max, int perClient, int idleTimeoutS, int headerTimeoutS, int bodyTimeoutS,
      int streamsPerClient, int streamsPerSession, int queuedPerClient) {}

  @Override
  public String toString() {
    return "home=" + home + " model=" + model + " dataDir=" + dataDir + " " + runtime + " text" + textBatch + " image" + imageBatch + " "
        + engine + " " + store + " " + web;
  }
}
