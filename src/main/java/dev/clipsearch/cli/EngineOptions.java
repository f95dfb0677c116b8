package dev.clipsearch.cli;

import dev.clipsearch.config.ConfigLoader;
import dev.clipsearch.config.ServerConfig;
import picocli.CommandLine.Option;

/**
 * The throughput engine's flags (batching, threads, staging), mixed into every subcommand by {@link CommonOptions}.
 * Each falls back to its CLIPSRV_* variable, then to a default chosen for a 2-core CPU box. The older µs flags stay as
 * per-tower aliases and win over {@code --max-delay-ms}.
 */
public final class EngineOptions {
  static final int DEFAULT_MAX_BATCH_TEXT = 32;
  static final int DEFAULT_MAX_BATCH_IMAGE = 16;
  static final double DEFAULT_DELAY_TEXT_MS = 2;
  static final double DEFAULT_DELAY_IMAGE_MS = 5;

  @Option(names = {"--max-batch-image", "--batch-size"}, paramLabel = "N",
      description = "largest image batch (env CLIPSRV_MAX_BATCH_IMAGE; default 16)")
  Integer maxBatchImage;

  @Option(names = {"--max-batch-text", "--text-batch-size"}, paramLabel = "N",
      description = "largest text batch; 1 = no batching (env CLIPSRV_MAX_BATCH_TEXT; default 32)")
  Integer maxBatchText;

  @Option(names = "--max-delay-ms", paramLabel = "MS",
      description = "how long the oldest request waits for a fuller batch, both towers, fractions allowed "
          + "(env CLIPSRV_MAX_DELAY_MS; default 2 for text, 5 for images)")
  Double maxDelayMs;

  @Option(names = "--batch-delay-us", paramLabel = "US", description = "image delay in µs (overrides --max-delay-ms)")
  Long imageDelayMicros;

  @Option(names = "--text-batch-delay-us", paramLabel = "US", description = "text delay in µs (overrides --max-delay-ms)")
  Long textDelayMicros;

  @Option(names = "--queue-capacity", paramLabel = "N",
      description = "requests waiting per tower before new ones get 503 (env CLIPSRV_QUEUE_CAPACITY; default 1024)")
  Integer queueCapacity;

  @Option(names = "--batches-in-flight", paramLabel = "1|2",
      description = "2 = stage the next batch while the current one computes (env CLIPSRV_BATCHES_IN_FLIGHT; default 2)")
  Integer batchesInFlight;

  @Option(names = "--image-transfer", paramLabel = "float32|uint8",
      description = "ship normalised floats, or pixel bytes normalised on the device (env CLIPSRV_IMAGE_TRANSFER; default float32)")
  String imageTransfer;

  @Option(names = "--image-decoder", paramLabel = "native|native-fast|java",
      description = "image decode + preprocess: the JNI pipeline (Pillow-exact; Java when it cannot load), its fast "
          + "JPEG mode, or pure Java (env CLIPSRV_IMAGE_DECODER; default native)")
  String imageDecoder;

  @Option(names = "--threads", paramLabel = "N",
      description = "OpenBLAS threads (env CLIPSRV_THREADS; default per precision: all cores for fp32 and int8, 1 for bf16)")
  Integer threads;

  @Option(names = "--torch-threads", paramLabel = "N",
      description = "LibTorch intra-op threads (env CLIPSRV_TORCH_THREADS; default per precision: 1 for fp32, all cores for "
          + "bf16 and int8)")
  Integer torchThreads;

  @Option(names = "--request-workers", paramLabel = "N",
      description = "threads running API calls; caps how many requests can share a batch (env CLIPSRV_REQUEST_WORKERS; default 32)")
  Integer requestWorkers;

  @Option(names = "--metrics-log-s", paramLabel = "S",
      description = "log a metrics line per tower every S seconds, 0 = only at shutdown (env CLIPSRV_METRICS_LOG_S; default 60)")
  Integer metricsLogSeconds;

  ServerConfig.Batching text(ConfigLoader env, int queue) {
    return new ServerConfig.Batching(
        maxBatchText != null ? maxBatchText : env.getInt("MAX_BATCH_TEXT", env.getInt("TEXT_BATCH", DEFAULT_MAX_BATCH_TEXT)),
        delayMicros(textDelayMicros, env, "TEXT_BATCH_DELAY_US", DEFAULT_DELAY_TEXT_MS), queue);
  }

  ServerConfig.Batching image(ConfigLoader env, int queue) {
    return new ServerConfig.Batching(
        maxBatchImage != null ? maxBatchImage : env.getInt("MAX_BATCH_IMAGE", env.getInt("BATCH", DEFAULT_MAX_BATCH_IMAGE)),
        delayMicros(imageDelayMicros, env, "BATCH_DELAY_US", DEFAULT_DELAY_IMAGE_MS), queue);
  }

  int queueCapacity(ConfigLoader env) {
    return queueCapacity != null ? queueCapacity : env.getInt("QUEUE_CAPACITY", 1024);
  }

  int blasThreads(ConfigLoader env) {
    return threads != null ? threads : env.getInt("THREADS", 0);
  }

  ServerConfig.Engine engine(ConfigLoader env) {
    return new ServerConfig.Engine(
        batchesInFlight != null ? batchesInFlight : env.getInt("BATCHES_IN_FLIGHT", 2),
        imageTransfer != null ? imageTransfer : env.get("IMAGE_TRANSFER", "float32"),
        torchThreads != null ? torchThreads : env.getInt("TORCH_THREADS", 0),
        requestWorkers != null ? requestWorkers : env.getInt("REQUEST_WORKERS", 32),
        metricsLogSeconds != null ? metricsLogSeconds : env.getInt("METRICS_LOG_S", 60),
        imageDecoder != null ? imageDecoder : env.get("IMAGE_DECODER", "native"));
  }

  /** Per-tower µs flag, then --max-delay-ms, then the per-tower µs variable, then CLIPSRV_MAX_DELAY_MS, then default. */
  private long delayMicros(Long towerFlagMicros, ConfigLoader env, String towerEnvMicros, double defaultMs) {
    if (towerFlagMicros != null) {
      return towerFlagMicros;
    }
    if (maxDelayMs != null) {
      return msToMicros(maxDelayMs);
    }
    String micros = env.get(towerEnvMicros, null);
    if (micros != null) {
      return env.getInt(towerEnvMicros, 0);
    }
    return msToMicros(env.getDouble("MAX_DELAY_MS", defaultMs));
  }

  private static long msToMicros(double ms) {
    if (Double.isNaN(ms) || ms < 0 || ms > 10_000) {
      throw new IllegalArgumentException("max delay must be in 0..10000 ms, got " + ms);
    }
    return Math.round(ms * 1000);
  }
}
