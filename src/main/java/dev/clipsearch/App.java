package dev.clipsearch;

import dev.clipsearch.batching.BatchPolicy;
import dev.clipsearch.config.ServerConfig;
import dev.clipsearch.config.Settings;
import dev.clipsearch.embedding.ClipEncoder;
import dev.clipsearch.embedding.EncoderOptions;
import dev.clipsearch.embedding.MetricsLog;
import dev.clipsearch.gradio.ConfigBuilder;
import dev.clipsearch.gradio.QueueLimits;
import dev.clipsearch.embedding.BulkEmbedder;
import dev.clipsearch.ingest.BackgroundIngest;
import dev.clipsearch.ingest.ClipIngestService;
import dev.clipsearch.ingest.IngestService;
import dev.clipsearch.model.ModelSpec;
import dev.clipsearch.model.runtime.ClipModel;
import dev.clipsearch.model.runtime.ComputeDevice;
import dev.clipsearch.model.runtime.CpuFeatures;
import dev.clipsearch.model.runtime.DeviceSelector;
import dev.clipsearch.model.runtime.NativeMemory;
import dev.clipsearch.model.runtime.StagingOptions;
import dev.clipsearch.model.text.Tokenizer;
import dev.clipsearch.search.ClipSearchService;
import dev.clipsearch.search.SearchService;
import dev.clipsearch.store.MilvusVectorStore;
import dev.clipsearch.store.ModelStamp;
import dev.clipsearch.store.ReadOnlyCollectionException;
import dev.clipsearch.store.StoreOptions;
import dev.clipsearch.store.VectorStore;
import dev.clipsearch.web.ApiToken;
import dev.clipsearch.web.ConnectionLimits;
import dev.clipsearch.web.Metrics;
import dev.clipsearch.web.UiChoice;
import dev.clipsearch.web.UploadLimits;
import dev.clipsearch.web.WebLimits;
import dev.clipsearch.web.WebOps;
import dev.clipsearch.web.WebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root, and the only one: builds every component by hand in dependency order (model and warm-up, the
 * encoder, then the store, the services and, for {@code serve}, the web server) and closes them in reverse.
 * Subcommands ask only for what they need ({@link #modelOnly}, {@link #storeOnly}, {@link #withStore}, {@link #serve}).
 */
public final class App implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(App.class);
  /** How long Milvus Lite may take to start (it imports its Python package first). */
  private static final Duration LITE_START = Duration.ofSeconds(60);

  private final ServerConfig config;
  private final Deque<AutoCloseable> closeOrder = new ArrayDeque<>();
  private final Metrics metrics = new Metrics();
  /** Both null for {@link #storeOnly}. */
  private final ClipEncoder encoder;
  private final ComputeDevice device;
  private VectorStore store;
  // One of each per process: the search service remembers the paths it returned, and /file= authorisation reads them.
  private SearchService search;
  private IngestService ingest;

  private App(ServerConfig config, boolean loadModel) {
    this.config = config;
    if (!loadModel) {
      this.encoder = null;
      this.device = null;
      return;
    }
    long start = System.nanoTime();
    log.info("configuration: {}", config);
    ModelSpec spec = readSpec(config.model());
    ServerConfig.Engine engine = config.engine();
    ComputeDevice device = DeviceSelector.select(config.runtime().device(), config.runtime().precision(),
        config.runtime().blasThreads(), engine.torchThreads());
    StagingOptions staging = new StagingOptions(config.imageBatch().maxBatch(), config.textBatch().maxBatch(),
        engine.batchesInFlight(), engine.imageTransfer());
    ClipModel model = register(ClipModel.load(config.model(), spec, device, staging));
    this.device = model.device();
    this.encoder = register(new ClipEncoder(model, Tokenizer.load(), new EncoderOptions(
        policy(config.textBatch()), policy(config.imageBatch()), config.imageBatch().queueCapacity(),
        engine.batchesInFlight(), config.runtime().textCacheEntries(), engine.imageDecoder()), metrics.registry()));
    register(new MetricsLog(encoder::metrics, engine.metricsLogSeconds()));
    metrics.gauge("clipsearch.native.javacpp", "Native memory JavaCPP has allocated and not yet freed.", "bytes",
        NativeMemory::trackedBytes);
    metrics.gauge("clipsearch.native.javacpp.pointers", "JavaCPP pointers whose memory is not yet freed.", null,
        NativeMemory::trackedPointers);
    metrics.gauge("clipsearch.native.physical", "Physical memory of the process as JavaCPP reads it.", "bytes",
        NativeMemory::physicalBytes);
    log.info("model ready in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
  }

  /** The model and encoder only (for {@code embed} and {@code eval}). */
  public static App modelOnly(ServerConfig config) {
    return new App(config, true);
  }

  /**
   * The vector store alone, opened but with its collection not yet touched, for commands that only read or delete
   * ({@code stats}, {@code delete}): no model is loaded, so the collection's dimension is taken as it is.
   */
  public static App storeOnly(ServerConfig config) {
    App app = new App(config, false);
    try {
      app.store = app.register(MilvusVectorStore.open(storeOptions(config.store(), StoreOptions.ANY_DIMENSION, null)));
      return app;
    } catch (RuntimeException e) {
      app.close();
      throw e;
    }
  }

  /** Model, encoder, the vector store with its collection ensured, and the search and ingest services. */
  public static App withStore(ServerConfig config) {
    App app = new App(config, true);
    try {
      app.openStore();
      return app;
    } catch (RuntimeException e) {
      app.close();
      throw e;
    }
  }

  private void openStore() {
    long start = System.nanoTime();
    ModelStamp model = ModelStamp.ofFile(config.model(), encoder.spec().name(), encoder.spec().embedDim());
    MilvusVectorStore milvus = register(MilvusVectorStore.open(storeOptions(config.store(), model.dimension(), model)));
    milvus.observe(metrics);
    milvus.ensureCollection();
    store = milvus;
    search = new ClipSearchService(encoder, store);
    ingest = new ClipIngestService(encoder, store);
    log.info("store {} ready in {} ms", store.describe(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
  }

  public ServerConfig config() {
    return config;
  }

  /** CPU, flags, device and precision with its reason: the labels of /metrics' engine info. */
  public Map<String, String> engineInfo() {
    CpuFeatures cpu = DeviceSelector.cpu();
    Map<String, String> info = new LinkedHashMap<>();
    info.put("cpu_model", cpu.model());
    info.put("cores", Integer.toString(cpu.cores()));
    cpu.reportedFlags().forEach((flag, on) -> info.put(flag, on ? "1" : "0"));
    info.put("device", device.isCuda() ? "cuda:" + device.index() : "cpu");
    info.put("precision", device.precision().label());
    info.put("precision_reason", device.precisionReason());
    return info;
  }

  public ClipEncoder encoder() {
    if (encoder == null) {
      throw new IllegalStateException("this command was started without a model");
    }
    return encoder;
  }

  public VectorStore store() {
    if (store == null) {
      throw new IllegalStateException("this command was started without a store");
    }
    return store;
  }

  public SearchService search() {
    requireStore();
    return search;
  }

  public IngestService ingest() {
    requireStore();
    return ingest;
  }

  private void requireStore() {
    if (search == null) {
      throw new IllegalStateException("this command was started without a store");
    }
  }

  /**
   * Starts the web server on this app's services, then, when a folder is given, ingests it in the background while
   * the server answers from what is stored so far. The web server is registered last, so it stops first (refusing new
   * events and draining running ones), then the background ingest (which writes its pending chunk), then the store
   * and the model.
   *
   * @param images a folder to ingest in the background ({@code serve --images}), or empty
   * @return the bound port
   */
  public int serve(Optional<Path> images) {
    requireStore();
    ServerConfig.Web web = config.web();
    metrics.engineInfo(engineInfo());
    Optional<BackgroundIngest> background = images.map(dir -> register(new BackgroundIngest(
        new BulkEmbedder(encoder, config.runtime().decodeThreads()), store, dir)));
    warnIfReadOnly();
    Map<String, Callable<?>> checks = new LinkedHashMap<>();
    // The App loads the model before anything serves; this check is what a future lazy or reloadable model reports.
    checks.put("model", encoder::spec);
    checks.put("store", () -> {
      store.ping();
      return null;
    });
    WebOps ops = new WebOps(checks, new ApiToken(Optional.of(web.apiToken()).filter(t -> !t.isEmpty()),
        web.apiTokenForAll()), metrics, Set.copyOf(web.corsOrigins()),
        () -> background.map(BackgroundIngest::progress));
    try {
      WebServer server = register(new WebServer(search, ingest, config.dataDir().resolve("uploads"),
          webLimits(config), ui(web.ui(), config.home()), ops));
      int port = server.start(web.port(), web.host()).port();
      background.ifPresent(BackgroundIngest::start);
      return port;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the web server: " + e.getMessage(), e);
    }
  }

  /**
   * A served collection that takes no new rows is said once at start, not only at the first refused upload. (A
   * command-line ingest says it once, as its error.)
   */
  private void warnIfReadOnly() {
    try {
      store.requireWritable();
    } catch (ReadOnlyCollectionException e) {
      log.warn("{} (uploads and --images are refused with this reason; searches are served)", e.getMessage());
    }
  }

  /**
   * The page at / and Gradio's installed frontend: the project's page is HOME/ui/dist (built by setup.d/30-ui.sh)
   * unless a folder is named; Gradio's frontend is the version /config claims, unpacked by setup.d/35-gradio-frontend.sh.
   */
  static UiChoice ui(String setting, Path home) {
    Optional<Path> gradio = Optional.of(home.resolve(".cache/gradio-frontend/" + ConfigBuilder.VERSION));
    return switch (setting) {
      case Settings.UI_GRADIO -> new UiChoice(Optional.empty(), true, gradio);
      case Settings.UI_DEFAULT -> new UiChoice(Optional.of(home.resolve("ui/dist")).filter(Files::isDirectory), false,
          gradio);
      default -> new UiChoice(Optional.of(Path.of(setting)), false, gradio);
    };
  }

  /** The web layer's bounds from the settings; the others are protocol constants of {@link WebLimits}. */
  public static WebLimits webLimits(ServerConfig config) {
    int workers = config.engine().requestWorkers();
    ServerConfig.Web web = config.web();
    ServerConfig.Connections c = web.connections();
    // request workers block on the encoder: their number caps how many requests can share one batch
    QueueLimits queue = new QueueLimits(workers, Math.min(workers, config.engine().ingestWorkers()),
        Math.max(QueueLimits.MIN_QUEUED_EVENTS, workers * 4), c.queuedPerClient(), QueueLimits.MAX_SESSIONS,
        QueueLimits.MAX_PENDING_PER_SESSION, QueueLimits.SESSION_TTL);
    ConnectionLimits connections = new ConnectionLimits(c.max(), c.perClient(), Duration.ofSeconds(c.idleTimeoutS()),
        Duration.ofSeconds(c.headerTimeoutS()), Duration.ofSeconds(c.bodyTimeoutS()), c.streamsPerClient(),
        c.streamsPerSession());
    UploadLimits uploads = new UploadLimits(web.maxUploadBytes(), web.uploadQuotaBytes(),
        Duration.ofHours(web.uploadTtlHours()), web.queryCacheBytes(), web.thumbnailCacheBytes());
    return new WebLimits(queue, WebLimits.MAX_STREAMS, WebLimits.HEARTBEAT, connections, uploads);
  }

  /** Registers a component to be closed when the app closes, after everything registered later. */
  private <T extends AutoCloseable> T register(T component) {
    closeOrder.push(component);
    return component;
  }

  /**
   * Maps the typed config onto the store's own options (store is a leaf package and knows no config).
   *
   * @param model the model whose vectors the store holds, recorded in and checked against the collection; null for
   *     callers that store vectors of their own (tools, tests)
   */
  public static StoreOptions storeOptions(ServerConfig.Store s, int dimension, ModelStamp model) {
    return new StoreOptions(s.uri(), s.token(), s.collection(), dimension, s.index(), s.hnswM(),
        s.hnswEfConstruction(), s.searchEf(), s.rpcDeadline(), s.loadDeadline(), s.python(), LITE_START,
        s.database(), model, s.adoptCollection(), s.fields().vector(), s.fields().path(), s.fields().createIndex());
  }

  private static BatchPolicy policy(ServerConfig.Batching b) {
    return new BatchPolicy(b.maxBatch(), TimeUnit.MICROSECONDS.toNanos(b.maxDelayMicros()));
  }

  private static ModelSpec readSpec(Path model) {
    try {
      return ModelSpec.forModel(model);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the spec of " + model + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    while (!closeOrder.isEmpty()) {
      AutoCloseable c = closeOrder.pop();
      try {
        c.close();
      } catch (Exception e) {
        log.warn("closing {} failed: {}", c.getClass().getSimpleName(), e.toString());
      }
    }
  }
}
