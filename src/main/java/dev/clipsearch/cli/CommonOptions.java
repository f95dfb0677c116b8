package dev.clipsearch.cli;

import dev.clipsearch.config.ConfigLoader;
import dev.clipsearch.config.ServerConfig;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options every subcommand shares; each defaults to its CLIPSRV_* environment variable, then a built-in value. */
public final class CommonOptions {
  private ConfigLoader loader;

  @Option(names = "--config", paramLabel = "FILE",
      description = "settings file: properties with the environment's names, e.g. max_batch_image = 32 (env CLIPSRV_CONFIG); "
          + "flags override the environment, which overrides the file")
  Path configFile;

  @Option(names = "--model", paramLabel = "FILE",
      description = "TorchScript CLIP file with its sidecar FILE.json (env CLIPSRV_MODEL; default models/clip-vit-b-32.pt)")
  Path model;

  @Option(names = "--milvus", paramLabel = "URI",
      description = "a local directory = embedded Milvus Lite with that data directory; http(s)://host:port = a Milvus "
          + "server (env CLIPSRV_MILVUS; default DATA_DIR/milvus)")
  String milvus;

  @Option(names = "--milvus-token", paramLabel = "TOKEN", description = "Milvus token or user:password (env CLIPSRV_MILVUS_TOKEN)")
  String milvusToken;

  @Option(names = "--collection", paramLabel = "NAME", description = "collection name (default image_collection)")
  String collection;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "where uploads and the embedded Milvus live (default data)")
  Path dataDir;

  @Option(names = "--device", paramLabel = "auto|cpu|cuda[:N]", description = "where the model runs (default auto)")
  String device;

  @Option(names = "--precision", paramLabel = "auto|fp32|bf16|int8|fp16",
      description = "model precision (env CLIPSRV_PRECISION; default auto): on CPU auto = bf16 where AMX runs it, else "
          + "fp32; bf16 needs amx_bf16 or avx512_bf16; int8 = dynamic int8 Linear layers (AVX2); on CUDA auto = fp32, "
          + "fp16 and bf16 as asked")
  String precision;

  @Mixin EngineOptions engine = new EngineOptions();

  /** Merges flags over environment over defaults; validated by the caller. */
  public ServerConfig toConfig(String host, int port, String ui) {
    return toConfig(host, port, ui, "", false, List.of());
  }

  /**
   * With the serve-only settings: the page at / from --ui, else CLIPSRV_UI; the token comes from --api-token, else CLIPSRV_API_TOKEN; the CORS origins
   * from --cors-origin, else CLIPSRV_CORS_ORIGINS (comma-separated).
   */
  public ServerConfig toConfig(String host, int port, String ui, String apiToken, boolean apiTokenForAll,
      List<String> corsOrigins) {
    Path home = env().home();
    Path data = dataDir != null ? dataDir : Path.of(env().get("DATA_DIR", home.resolve("data").toString()));
    Path modelFile = model != null ? model : Path.of(env().get("MODEL", home.resolve("models/clip-vit-b-32.pt").toString()));
    int queue = engine.queueCapacity(env());
    return new ServerConfig(
        modelFile.toAbsolutePath().normalize(),
        data.toAbsolutePath().normalize(),
        new ServerConfig.Model(
            pick(device, env().get("DEVICE", "auto")),
            pick(precision, env().get("PRECISION", "auto")),
            engine.blasThreads(env()),
            env().getInt("TEXT_CACHE", 4096)),
        engine.text(env(), queue),
        engine.image(env(), queue),
        engine.engine(env()),
        new ServerConfig.Store(
            pick(milvus, env().get("MILVUS", data.resolve("milvus").toString())),
            pick(milvusToken, env().get("MILVUS_TOKEN", "")),
            pick(collection, env().get("COLLECTION", "image_collection")),
            env().python()),
        new ServerConfig.Web(host, port, (long) env().getInt("MAX_UPLOAD_MB", 32) << 20,
            ui != null ? ui : env().get("UI", ServerConfig.Web.UI_DEFAULT),
            apiToken != null && !apiToken.isEmpty() ? apiToken : env().get("API_TOKEN", ""),
            apiTokenForAll || Boolean.parseBoolean(env().get("API_TOKEN_ALL", "false")),
            !corsOrigins.isEmpty() ? corsOrigins : Arrays.stream(env().get("CORS_ORIGINS", "").split(","))
                .map(String::strip).filter(o -> !o.isEmpty()).toList(),
            (long) env().getInt("UPLOAD_QUOTA_MB", (int) ServerConfig.Web.DEFAULT_UPLOAD_QUOTA_MB) << 20,
            env().getInt("UPLOAD_TTL_HOURS", ServerConfig.Web.DEFAULT_UPLOAD_TTL_HOURS)));
  }

  String envOr(String name, String fallback) {
    return env().get(name, fallback);
  }

  int envInt(String name, int fallback) {
    return env().getInt(name, fallback);
  }

  private static String pick(String flag, String fallback) {
    return flag != null ? flag : fallback;
  }

  /** Built on first use, after picocli has set --config. */
  private ConfigLoader env() {
    if (loader == null) {
      loader = ConfigLoader.from(System.getenv(), configFile);
    }
    return loader;
  }
}
