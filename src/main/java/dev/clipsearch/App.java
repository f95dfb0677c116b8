package dev.clipsearch;

import dev.clipsearch.batching.BatchPolicy;
import dev.clipsearch.config.ServerConfig;
import dev.clipsearch.embedding.ClipEncoder;
import dev.clipsearch.embedding.EncoderOptions;
import dev.clipsearch.embedding.MetricsLog;
import dev.clipsearch.ingest.ClipIngestService;
import dev.clipsearch.ingest.IngestService;
import dev.clipsearch.model.ModelSpec;
import dev.clipsearch.model.runtime.ClipModel;
import dev.clipsearch.model.runtime.ComputeDevice;
import dev.clipsearch.model.runtime.CpuFeatures;
import dev.clipsearch.model.runtime.DeviceSelector;
import dev.clipsearch.model.runtime.ImageTransfer;
import dev.clipsearch.model.runtime.StagingOptions;
import dev.clipsearch.model.text.Tokenizer;
import dev.clipsearch.search.ClipSearchService;
import dev.clipsearch.search.SearchService;
import dev.clipsearch.store.MilvusVectorStore;
import dev.clipsearch.store.StoreOptions;
import dev.clipsearch.store.VectorStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Composition root: builds every component by hand in dependency order (model and warm-up, then the store and its
 * collection) and closes them in reverse. Subcommands ask only for what they need ({@link #withStore}).
 */
public final class App implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(App.class);

  private final ServerConfig config;
  private final Deque<AutoCloseable> closeOrder = new ArrayDeque<>();
  private final ClipEncoder encoder;
  private final ComputeDevice device;
  private VectorStore store;

  private App(ServerConfig config) {
    this.config = config;
    long start = System.nanoTime();
    log.info("configuration: {}", config);
    ModelSpec spec = readSpec(config.model());
    ServerConfig.Engine engine = config.engine();
    ComputeDevice device = DeviceSelector.select(config.runtime().device(), config.runtime().precision(),
        config.runtime().blasThreads(), engine.torchThreads());
    StagingOptions staging = new StagingOptions(config.imageBatch().maxBatch(), config.textBatch().maxBatch(),
        engine.batchesInFlight(), ImageTransfer.parse(engine.imageTransfer()));
    ClipModel model = register(ClipModel.load(config.model(), spec, device, staging));
    this.device = model.device();
    this.encoder = register(new ClipEncoder(model, Tokenizer.load(), new EncoderOptions(
        policy(config.textBatch()), policy(config.imageBatch()), config.imageBatch().queueCapacity(),
        engine.batchesInFlight(), config.runtime().textCacheEntries(), engine.imageDecoder())));
    register(new MetricsLog(encoder::metrics, engine.metricsLogSeconds()));
    log.info("model ready in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
  }

  /** The model and encoder only (for {@code embed}). */
  public static App modelOnly(ServerConfig config) {
    return new App(config.validate());
  }

  /** Model, encoder and the vector store with its collection ensured. */
  public static App withStore(ServerConfig config) {
    App app = new App(config.validate());
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
    store = register(openStore(config.store(), encoder.spec().embedDim()));
    store.ensureCollection();
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
    return encoder;
  }

  public VectorStore store() {
    if (store == null) {
      throw new IllegalStateException("this command was started without a store");
    }
    return store;
  }

  public SearchService search() {
    return new ClipSearchService(encoder, store());
  }

  public IngestService ingest() {
    return new ClipIngestService(encoder, store());
  }

  /** Registers a component to be closed when the app closes, after everything registered later. */
  public <T extends AutoCloseable> T register(T component) {
    closeOrder.push(component);
    return component;
  }

  /** Maps the typed config onto the store's own options (store is a leaf package and knows no config). */
  private static VectorStore openStore(ServerConfig.Store cfg, int dimension) {
    StoreOptions options = StoreOptions.defaults(cfg.uri(), dimension)
        .withToken(cfg.token())
        .withCollection(cfg.collection())
        .withLite(cfg.python(), Duration.ofSeconds(60));
    return MilvusVectorStore.open(options);
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
