package dev.clipsearch.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Every setting of the server, typed and validated once at start ({@link #validate()}); logged with secrets
 * redacted ({@link #toString()}). The CLI builds it from its flags over what {@link ConfigLoader} read (defaults, then
 * the settings file, then CLIPSRV_* environment variables; later wins).
 */
public record ServerConfig(
    Path model,
    Path dataDir,
    Model runtime,
    Batching textBatch,
    Batching imageBatch,
    Engine engine,
    Store store,
    Web web) {

  /**
   * @param device auto|cpu|cuda[:N]
   * @param precision auto|fp32|bf16|int8 on CPU, auto|fp32|fp16|bf16 on CUDA
   * @param blasThreads OpenBLAS threads, 0 = the precision's default
   */
  public record Model(String device, String precision, int blasThreads, int textCacheEntries) {
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
   * @param batchesInFlight per tower: 2 = stage the next batch while the model computes the current one, 1 = strictly
   *     one after the other
   * @param imageTransfer float32 (normalised on the host) or uint8 (pixel bytes, normalised on the device: 4x less
   *     host-to-device traffic; pays off on CUDA)
   * @param torchThreads LibTorch intra-op threads, 0 = the precision's default (OpenBLAS threads are
   *     {@link Model#blasThreads()})
   * @param requestWorkers threads that run API calls (each blocks on the encoder, then on the store); bounds how many
   *     requests can share a batch
   * @param metricsLogSeconds period of the one-line metrics summary per tower; 0 = only at shutdown
   * @param imageDecoder native (the JNI pipeline, Pillow-exact; falls back to Java when the library cannot load),
   *     native-fast (JPEGs scaled down in the DCT domain first: much faster on large photos, cosine >= 0.999), java
   */
  public record Engine(int batchesInFlight, String imageTransfer, int torchThreads, int requestWorkers,
      int metricsLogSeconds, String imageDecoder) {
    public Engine(int batchesInFlight, String imageTransfer, int torchThreads, int requestWorkers,
        int metricsLogSeconds) {
      this(batchesInFlight, imageTransfer, torchThreads, requestWorkers, metricsLogSeconds, "native");
    }
  }

  /**
   * @param uri a local directory (embedded Milvus Lite with that data directory) or http(s)://host:port
   * @param python the Python that runs Milvus Lite (embedded mode only)
   */
  public record Store(String uri, String token, String collection, String python) {}

  /**
   * @param ui the page at /: {@code default} (the hand-built page, ui/dist), {@code gradio} (Gradio's own frontend,
   *     installed by setup) or the folder of a built page; null means default
   * @param apiToken when non-empty, required (Bearer or X-Api-Token) for upload and ingest; a secret, never logged
   * @param apiTokenForAll require the token on every route but the health probes
   * @param corsOrigins the only origins CORS grants (scheme://host[:port]); empty = Gradio's echo policy
   * @param uploadQuotaBytes total size of the uploads folder
   * @param uploadTtlHours uploads older than this that were not ingested are deleted
   */
  public record Web(String host, int port, long maxUploadBytes, String ui, String apiToken, boolean apiTokenForAll,
      List<String> corsOrigins, long uploadQuotaBytes, int uploadTtlHours) {
    public static final long DEFAULT_UPLOAD_QUOTA_MB = 2048;
    public static final int DEFAULT_UPLOAD_TTL_HOURS = 24;

    public static final String UI_DEFAULT = "default";
    public static final String UI_GRADIO = "gradio";

    public Web {
      corsOrigins = List.copyOf(corsOrigins);
      ui = ui == null || ui.isBlank() ? UI_DEFAULT : ui.strip();
    }

    public Web(String host, int port, long maxUploadBytes, String ui) {
      this(host, port, maxUploadBytes, ui, "", false, List.of(), DEFAULT_UPLOAD_QUOTA_MB << 20,
          DEFAULT_UPLOAD_TTL_HOURS);
    }

    @Override
    public String toString() {
      return "Web[host=" + host + ", port=" + port + ", maxUploadBytes=" + maxUploadBytes + ", ui=" + ui
          + ", apiToken=" + (apiToken.isEmpty() ? "none" : "***") + ", apiTokenForAll=" + apiTokenForAll
          + ", corsOrigins=" + (corsOrigins.isEmpty() ? "gradio-default" : corsOrigins) + ", uploadQuotaMb="
          + (uploadQuotaBytes >> 20) + ", uploadTtlHours=" + uploadTtlHours + "]";
    }
  }

  /** @throws IllegalArgumentException listing every invalid setting at once */
  public ServerConfig validate() {
    List<String> errors = new ArrayList<>();
    check(errors, runtime.device().matches("auto|cpu|cuda(:\\d+)?"), "device must be auto, cpu or cuda[:N]: " + runtime.device());
    check(errors, runtime.precision().matches("auto|fp32|fp16|bf16|int8"),
        "precision must be auto, fp32, fp16, bf16 or int8: " + runtime.precision());
    check(errors, runtime.blasThreads() >= 0 && runtime.blasThreads() <= 256, "blas threads must be in 0..256 (0 = auto)");
    check(errors, runtime.textCacheEntries() >= 0, "text cache entries must be >= 0");
    check(errors, engine.batchesInFlight() == 1 || engine.batchesInFlight() == 2, "batches in flight must be 1 or 2");
    check(errors, engine.imageDecoder().matches("native|native-fast|java"),
        "image decoder must be native, native-fast or java: " + engine.imageDecoder());
    check(errors, engine.imageTransfer().matches("float32|uint8"), "image transfer must be float32 or uint8: " + engine.imageTransfer());
    check(errors, engine.torchThreads() >= 0 && engine.torchThreads() <= 256, "torch threads must be in 0..256 (0 = auto)");
    check(errors, engine.requestWorkers() >= 1 && engine.requestWorkers() <= 1024, "request workers must be in 1..1024");
    check(errors, engine.metricsLogSeconds() >= 0, "metrics log period must be >= 0 s");
    for (Batching b : List.of(textBatch, imageBatch)) {
      check(errors, b.maxBatch() >= 1 && b.maxBatch() <= 1024, "batch size must be in 1..1024: " + b.maxBatch());
      check(errors, b.maxDelayMicros() >= 0 && b.maxDelayMicros() <= 10_000_000, "batch delay must be in 0..10 s");
      check(errors, b.queueCapacity() >= 1, "queue capacity must be >= 1");
    }
    check(errors, !store.uri().isBlank(), "milvus uri must not be empty");
    check(errors, store.collection().matches("[A-Za-z_][A-Za-z0-9_]{0,254}"),
        "collection must be letters, digits and _ (not starting with a digit): " + store.collection());
    check(errors, web.apiToken().isEmpty() || web.apiToken().length() >= 8, "api token must have at least 8 characters");
    check(errors, !web.apiTokenForAll() || !web.apiToken().isEmpty(), "--api-token-all needs --api-token");
    for (String origin : web.corsOrigins()) {
      check(errors, origin.matches("(?i)https?://[^/\\s*]+/?"),
          "cors origin must be scheme://host[:port], e.g. https://search.example.com: " + origin);
    }
    check(errors, web.ui().equals(Web.UI_DEFAULT) || web.ui().equals(Web.UI_GRADIO) || java.nio.file.Files.isDirectory(Path.of(web.ui())),
        "ui must be default, gradio or the folder of a built page: " + web.ui());
    check(errors, web.port() >= 0 && web.port() <= 65535, "port must be in 0..65535: " + web.port());
    check(errors, web.maxUploadBytes() >= 1024, "max upload must be >= 1 KiB");
    check(errors, web.uploadQuotaBytes() >= web.maxUploadBytes(), "upload quota must hold at least one upload ("
        + (web.maxUploadBytes() >> 20) + " MB)");
    check(errors, web.uploadTtlHours() >= 1, "upload TTL must be at least 1 hour");
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("invalid configuration:\n  - " + String.join("\n  - ", errors));
    }
    return this;
  }

  private static void check(List<String> errors, boolean ok, String message) {
    if (!ok) {
      errors.add(message);
    }
  }

  @Override
  public String toString() {
    return "model=" + model + " dataDir=" + dataDir + " " + runtime + " text" + textBatch + " image" + imageBatch + " " + engine
        + " store(uri=" + store.uri() + ", token=" + (store.token() == null || store.token().isEmpty() ? "none" : "***")
        + ", collection=" + store.collection() + ") " + web;
  }
}
