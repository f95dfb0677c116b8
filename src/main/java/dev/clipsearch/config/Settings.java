package dev.clipsearch.config;

import static dev.clipsearch.config.Setting.Arity.LIST;
import static dev.clipsearch.config.Setting.Arity.SWITCH;
import static dev.clipsearch.config.Setting.Group.ENGINE;
import static dev.clipsearch.config.Setting.Group.GENERAL;
import static dev.clipsearch.config.Setting.Group.LOGGING;
import static dev.clipsearch.config.Setting.Group.SERVER;
import static dev.clipsearch.config.Setting.Group.STORE;
import static dev.clipsearch.config.Setting.Scope.ENVIRONMENT;
import static dev.clipsearch.config.Setting.Scope.NOT_IN_FILE;
import static dev.clipsearch.config.Setting.Scope.SERVE;

import dev.clipsearch.model.image.DecoderChoice;
import dev.clipsearch.model.runtime.ComputeDevice.Precision;
import dev.clipsearch.model.runtime.DeviceRequest;
import dev.clipsearch.model.runtime.ImageTransfer;
import dev.clipsearch.store.StoreOptions.IndexKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * Every setting of clip-search, each declared once (see {@link Setting}). The order is the order of the CLI help and
 * the README table, and a computed default may read only settings declared above it.
 */
public final class Settings {
  private Settings() {}

  private static final String COLLECTION_NAME = "[A-Za-z_][A-Za-z0-9_]{0,254}";
  public static final String UI_DEFAULT = "default";
  public static final String UI_GRADIO = "gradio";

  public static final Setting<Path> CONFIG = Setting.of("config", "FILE", Parse.path())
      .unsetMeans("none").scope(NOT_IN_FILE)
      .group(GENERAL)
      .help("settings file: a properties file with the environment's names, CLIPSRV_ optional and case ignored, e.g. "
          + "max_batch_image = 32; an unknown name is an error")
      .build();

  public static final Setting<Path> HOME = Setting.of("home", "DIR", Parse.path())
      .byDefault("the working directory", v -> Path.of("").toAbsolutePath())
      .group(GENERAL)
      .help("the install root: where models/, ui/dist and .cache/venv are looked for")
      .build();

  public static final Setting<Path> MODEL = Setting.of("model", "FILE", Parse.path())
      .byDefault("HOME/models/clip-vit-b-32.pt", v -> v.get(HOME).resolve("models/clip-vit-b-32.pt"))
      .group(ENGINE)
      .help("TorchScript CLIP file; its spec is FILE.json (or FILE with .json instead of .pt)")
      .build();

  public static final Setting<Path> DATA_DIR = Setting.of("data-dir", "DIR", Parse.path())
      .byDefault("HOME/data", v -> v.get(HOME).resolve("data"))
      .group(STORE)
      .help("where uploads, thumbnails and the embedded Milvus live")
      .build();

  public static final Setting<String> MILVUS = Setting.of("milvus", "URI", Parse.matching("\\S.*", "a directory or URI"))
      .byDefault("DATA_DIR/milvus", v -> v.get(DATA_DIR).resolve("milvus").toString())
      .group(STORE)
      .help("a local directory = embedded Milvus Lite with that data directory; http(s)://host:port = a Milvus server")
      .build();

  public static final Setting<String> MILVUS_TOKEN = Setting.of("milvus-token", "TOKEN", Parse.text())
      .byDefault("none", v -> "")
      .group(STORE)
      .help("token or user:password for a Milvus server (never logged)")
      .build();

  public static final Setting<String> MILVUS_DB = Setting.of("milvus-db", "NAME",
          Parse.matching("|" + COLLECTION_NAME, "letters, digits and _, not starting with a digit"))
      .byDefault("the server's default database", v -> "")
      .group(STORE)
      .help("the Milvus database holding the collection, created if missing")
      .build();

  public static final Setting<String> COLLECTION = Setting.of("collection", "NAME",
          Parse.matching(COLLECTION_NAME, "letters, digits and _, not starting with a digit"))
      .byDefault("image_collection")
      .group(STORE)
      .help("the collection, as in the tutorial")
      .build();

  public static final Setting<Boolean> ADOPT_COLLECTION = Setting.of("adopt-collection", "", Parse.bool())
      .byDefault(false).arity(SWITCH)
      .group(STORE)
      .help("record the model in use in a collection that records none (made before clip-search recorded models, or "
          + "by other code such as the Milvus tutorial's; otherwise it is refused); never overrides another model's "
          + "record")
      .build();

  public static final Setting<String> VECTOR_FIELD = Setting.of("vector-field", "NAME",
          Parse.matching(COLLECTION_NAME, "letters, digits and _, not starting with a digit"))
      .byDefault("vector")
      .group(STORE)
      .help("the vector field of an existing collection made by other code")
      .build();

  public static final Setting<String> PATH_FIELD = Setting.of("path-field", "NAME",
          Parse.matching(COLLECTION_NAME, "letters, digits and _, not starting with a digit"))
      .byDefault("filepath")
      .group(STORE)
      .help("the image path of an existing collection made by other code: a VarChar field or a key of its dynamic "
          + "field")
      .build();

  public static final Setting<Boolean> CREATE_INDEX = Setting.of("create-index", "", Parse.bool())
      .byDefault(false).arity(SWITCH)
      .group(STORE)
      .help("build the vector index (--index, COSINE) that an existing collection made by other code lacks; without "
          + "it such a collection is refused")
      .build();

  public static final Setting<String> PYTHON = Setting.of("python", "PATH", Parse.text())
      .byDefault("MILVUS_LITE_PYTHON, else HOME/.cache/venv/bin/python, else python3", Settings::litePython)
      .group(STORE)
      .help("the Python that runs embedded Milvus Lite")
      .build();

  public static final Setting<IndexKind> INDEX = enumSetting("index", IndexKind.class, IndexKind.HNSW)
      .group(STORE)
      .help("vector index built when the collection is created (autoindex = the server's choice, flat = exact)")
      .build();

  public static final Setting<Integer> HNSW_M = Setting.of("hnsw-m", "M", Parse.integer(2, 2048))
      .byDefault(16)
      .group(STORE)
      .help("HNSW graph degree, when the collection is created")
      .build();

  public static final Setting<Integer> HNSW_EF_CONSTRUCTION =
      Setting.of("hnsw-ef-construction", "EF", Parse.integer(1, 65_536))
          .byDefault(200)
          .group(STORE)
          .help("HNSW build-time candidate list, when the collection is created")
          .build();

  public static final Setting<Integer> SEARCH_EF = Setting.of("search-ef", "EF", Parse.integer(1, 65_536))
      .byDefault(64)
      .group(STORE)
      .help("HNSW search-time candidate list; raised to k when k is larger")
      .build();

  public static final Setting<Integer> MILVUS_DEADLINE_S = Setting.of("milvus-deadline-s", "S", Parse.integer(1, 3600))
      .byDefault(10)
      .group(STORE)
      .help("the longest a Milvus data call (insert, search, query, delete) may take")
      .build();

  public static final Setting<Integer> MILVUS_LOAD_DEADLINE_S =
      Setting.of("milvus-load-deadline-s", "S", Parse.integer(1, 86_400))
          .byDefault(900)
          .group(STORE)
          .help("the longest creating or loading the collection may take (Lite builds its index while loading)")
          .build();

  public static final Setting<DeviceRequest> DEVICE = Setting.of("device", "auto|cpu|cuda[:N]", DeviceRequest::parse)
      .byDefault(DeviceRequest.AUTO)
      .group(ENGINE)
      .help("where the model runs; chosen once at start and logged")
      .build();

  public static final Setting<Precision> PRECISION = enumSetting("precision", Precision.class, Precision.AUTO)
      .group(ENGINE)
      .help("model precision, chosen once at start and logged with the reason: on CPU auto = bf16 where AMX runs it, "
          + "else fp32; bf16 needs amx_bf16 or avx512_bf16; int8 = dynamic int8 Linear layers (AVX2); on CUDA auto = "
          + "fp32, fp16 and bf16 as asked")
      .build();

  public static final Setting<Integer> MAX_BATCH_IMAGE = Setting.of("max-batch-image", "N", Parse.integer(1, 1024))
      .byDefault(16).environmentAlias("BATCH")
      .deprecatedFlag("--batch-size", "it sets the image batch only; texts have --max-batch-text")
      .group(ENGINE)
      .help("largest image batch (ingest, image searches); 1 = no batching")
      .build();

  public static final Setting<Integer> MAX_BATCH_TEXT = Setting.of("max-batch-text", "N", Parse.integer(1, 1024))
      .byDefault(32).flagAlias("--text-batch-size").environmentAlias("TEXT_BATCH")
      .group(ENGINE)
      .help("largest text batch; 1 = no batching")
      .build();

  /** Text waits 2 ms, images 5 ms unless this or a per-tower delay is given. */
  public static final Setting<Double> MAX_DELAY_MS = Setting.of("max-delay-ms", "MS", Parse.decimal(0, 10_000))
      .unsetMeans("2 (text), 5 (images)")
      .group(ENGINE)
      .help("how long the oldest request waits for a fuller batch, both towers; fractions allowed")
      .build();

  public static final Setting<Long> TEXT_BATCH_DELAY_US =
      Setting.of("text-batch-delay-us", "US", Parse.longInteger(0, 10_000_000))
          .unsetMeans("--max-delay-ms")
          .group(ENGINE)
          .help("text delay in µs; wins over --max-delay-ms given at the same or a lower level")
          .build();

  public static final Setting<Long> BATCH_DELAY_US = Setting.of("batch-delay-us", "US", Parse.longInteger(0, 10_000_000))
      .unsetMeans("--max-delay-ms")
      .group(ENGINE)
      .help("image delay in µs; wins over --max-delay-ms given at the same or a lower level")
      .build();

  public static final Setting<Integer> QUEUE_CAPACITY = Setting.of("queue-capacity", "N", Parse.integer(1, 1 << 20))
      .byDefault(1024)
      .group(ENGINE)
      .help("requests waiting per tower (not yet in a batch); one more is a 503 \"busy\"")
      .build();

  public static final Setting<Integer> BATCHES_IN_FLIGHT = Setting.of("batches-in-flight", "1|2", Parse.integer(1, 2))
      .byDefault(2)
      .group(ENGINE)
      .help("2: the next batch is staged into a second buffer while the model computes the current one")
      .build();

  public static final Setting<ImageTransfer> IMAGE_TRANSFER =
      enumSetting("image-transfer", ImageTransfer.class, ImageTransfer.FLOAT32)
          .group(ENGINE)
          .help("uint8 ships pixel bytes and normalises on the device (4x less host-to-device traffic; for CUDA)")
          .build();

  public static final Setting<DecoderChoice> IMAGE_DECODER =
      enumSetting("image-decoder", DecoderChoice.class, DecoderChoice.NATIVE)
          .group(ENGINE)
          .help("image decode + preprocess: the JNI pipeline (Pillow-exact; Java when it cannot load), its fast JPEG "
              + "mode (scaled in the DCT domain, cosine >= 0.999), or pure Java")
          .build();

  /** 0 = sized per precision at start ({@code ThreadPlan}): the pool that runs that precision's matmuls gets the cores. */
  public static final Setting<Integer> THREADS = Setting.of("threads", "N", Parse.integer(0, 256))
      .byDefault(0)
      .group(ENGINE)
      .help("OpenBLAS threads (where LibTorch's fp32 CPU matmuls run), 0 = per precision: all cores for fp32 and int8, "
          + "1 for bf16; also the decode threads of ingest and eval (0 = all cores)")
      .build();

  public static final Setting<Integer> TORCH_THREADS = Setting.of("torch-threads", "N", Parse.integer(0, 256))
      .byDefault(0)
      .group(ENGINE)
      .help("LibTorch intra-op threads (oneDNN's bf16 and FBGEMM's int8 matmuls), 0 = per precision: 1 for fp32, all "
          + "cores for bf16 and int8; more than the cores oversubscribes a small box")
      .build();

  public static final Setting<Integer> REQUEST_WORKERS = Setting.of("request-workers", "N", Parse.integer(1, 1024))
      .byDefault(32).scope(SERVE)
      .group(SERVER)
      .help("threads running API calls; each waits on the encoder, so this caps how many requests can share a batch")
      .build();

  public static final Setting<Integer> INGEST_WORKERS = Setting.of("ingest-workers", "N", Parse.integer(1, 1024))
      .byDefault("a quarter of --request-workers", v -> Math.max(1, v.get(REQUEST_WORKERS) / 4)).scope(SERVE)
      .group(SERVER)
      .help("of the request workers, how many may run ingests at once; searches go first and keep the rest")
      .build();

  public static final Setting<Integer> METRICS_LOG_S = Setting.of("metrics-log-s", "S", Parse.integer(0, 86_400))
      .byDefault(60)
      .group(ENGINE)
      .help("one metrics line per tower every S s (batch sizes, queue wait, compute, rejected), 0 = at shutdown only")
      .build();

  public static final Setting<Integer> TEXT_CACHE = Setting.of("text-cache", "N", Parse.integer(0, 1 << 24))
      .byDefault(4096)
      .group(ENGINE)
      .help("query vectors kept, so repeated queries skip the text tower; 0 = off")
      .build();

  public static final Setting<String> HOST = Setting.of("host", "HOST", Parse.matching("\\S+", "a host name or address"))
      .byDefault("127.0.0.1").scope(SERVE).foreignEnvironment("GRADIO_SERVER_NAME")
      .group(SERVER)
      .help("bind address; GRADIO_SERVER_NAME is read too, as Gradio does")
      .build();

  public static final Setting<Integer> PORT = Setting.of("port", "PORT", Parse.integer(0, 65_535))
      .byDefault(7860).scope(SERVE).foreignEnvironment("GRADIO_SERVER_PORT")
      .group(SERVER)
      .help("HTTP port, 0 = any free port (7860 as Gradio); GRADIO_SERVER_PORT is read too, as Gradio does")
      .build();

  public static final Setting<String> API_TOKEN = Setting.of("api-token", "TOKEN",
          Parse.matching("(.{8,})?", "at least 8 characters"))
      .byDefault("none", v -> "").scope(SERVE)
      .group(SERVER)
      .help("require this token (Authorization: Bearer or X-Api-Token) for upload and ingest; never logged")
      .build();

  public static final Setting<Boolean> API_TOKEN_ALL = Setting.of("api-token-all", "", Parse.bool())
      .byDefault(false).scope(SERVE).arity(SWITCH)
      .group(SERVER)
      .help("require the token on every route but /healthz and /readyz")
      .build();

  public static final Setting<List<String>> CORS_ORIGINS = Setting.of("cors-origin", "ORIGIN",
          Parse.list(Parse.matching("(?i)https?://[^/\\s*]+/?", "scheme://host[:port], e.g. https://app.example.com")))
      .byDefault("Gradio's policy", v -> List.of()).scope(SERVE).arity(LIST).environment("CORS_ORIGINS")
      .group(SERVER)
      .help("grant CORS only to these origins (repeatable or comma-separated); by default Gradio's policy echoes any "
          + "origin except foreign ones to a localhost server")
      .build();

  /** {@link #UI_DEFAULT}, {@link #UI_GRADIO} or the absolute path of a folder. */
  public static final Setting<String> UI = Setting.of("ui", "default|gradio|DIR", Settings::ui)
      .byDefault(UI_DEFAULT).scope(SERVE)
      .group(SERVER)
      .help("the page at /: default = the project's page (HOME/ui/dist; a minimal page when it is not built), gradio "
          + "= Gradio's own frontend (installed by src/scripts/setup.sh), or a folder of static files")
      .build();

  public static final Setting<Integer> MAX_UPLOAD_MB = Setting.of("max-upload-mb", "MB", Parse.integer(1, 4096))
      .byDefault(32).scope(SERVE)
      .group(SERVER)
      .help("largest single upload; larger is a 413")
      .build();

  public static final Setting<Integer> UPLOAD_QUOTA_MB = Setting.of("upload-quota-mb", "MB", Parse.integer(1, 1 << 24))
      .byDefault(2048).scope(SERVE)
      .group(SERVER)
      .help("space for uploads that were not ingested; the least recently used that nothing holds are deleted to make "
          + "room, and only a single upload larger than this is a 413")
      .build();

  public static final Setting<Integer> UPLOAD_TTL_HOURS = Setting.of("upload-ttl-hours", "H", Parse.integer(1, 87_600))
      .byDefault(24).scope(SERVE)
      .group(SERVER)
      .help("uploads older than this that the index does not hold are deleted")
      .build();

  public static final Setting<Integer> QUERY_IMAGE_CACHE_MB =
      Setting.of("query-image-cache-mb", "MB", Parse.integer(0, 1 << 20))
          .byDefault(64).scope(SERVE)
          .group(SERVER)
          .help("images uploaded to search with are kept this much, most recent first, after their search (Gradio's "
              + "page sends the same file again to repeat a search); older ones are deleted")
          .build();

  public static final Setting<Integer> THUMBNAIL_CACHE_MB =
      Setting.of("thumbnail-cache-mb", "MB", Parse.integer(1, 1 << 20))
          .byDefault(256).scope(SERVE)
          .group(SERVER)
          .help("gallery thumbnails kept on disk; the least recently served are deleted past it")
          .build();

  public static final Setting<Integer> MAX_CONNECTIONS = Setting.of("max-connections", "N", Parse.integer(1, 1 << 20))
      .byDefault(10_000).scope(SERVE)
      .group(SERVER)
      .help("open connections in all; the server stops accepting at this many until some close")
      .build();

  public static final Setting<Integer> MAX_CONNECTIONS_PER_CLIENT =
      Setting.of("max-connections-per-client", "N", Parse.integer(1, 1 << 20))
          .byDefault(512).scope(SERVE)
          .group(SERVER)
          .help("open connections from one client address; the next one is answered 429 and closed")
          .build();

  public static final Setting<Integer> IDLE_TIMEOUT_S = Setting.of("idle-timeout-s", "S", Parse.integer(16, 86_400))
      .byDefault(30).scope(SERVE)
      .group(SERVER)
      .help("a connection with no traffic for this long is closed (above the 15 s stream heartbeat)")
      .build();

  public static final Setting<Integer> HEADER_TIMEOUT_S = Setting.of("header-timeout-s", "S", Parse.integer(1, 3600))
      .byDefault(10).scope(SERVE)
      .group(SERVER)
      .help("a request's headers must arrive within this once they start; else the connection is closed")
      .build();

  public static final Setting<Integer> BODY_TIMEOUT_S = Setting.of("body-timeout-s", "S", Parse.integer(1, 86_400))
      .byDefault(60).scope(SERVE)
      .group(SERVER)
      .help("a request's body must arrive within this after its headers (408 otherwise); it is read before any "
          + "thread is given to the request")
      .build();

  public static final Setting<Integer> MAX_STREAMS_PER_CLIENT =
      Setting.of("max-streams-per-client", "N", Parse.integer(1, 1 << 20))
          .byDefault(256).scope(SERVE)
          .group(SERVER)
          .help("open event and heartbeat streams from one client address; one more is a 429")
          .build();

  public static final Setting<Integer> MAX_STREAMS_PER_SESSION =
      Setting.of("max-streams-per-session", "N", Parse.integer(1, 1024))
          .byDefault(4).scope(SERVE)
          .group(SERVER)
          .help("open event and heartbeat streams of one session; one more is a 429")
          .build();

  public static final Setting<Integer> MAX_QUEUED_PER_CLIENT =
      Setting.of("max-queued-per-client", "N", Parse.integer(1, 1 << 20))
          .byDefault(128).scope(SERVE)
          .group(SERVER)
          .help("calls of one client address waiting for a request worker; one more is a 429 (clients take turns)")
          .build();

  public static final Setting<Boolean> VERBOSE = Setting.of("verbose", "", Parse.bool())
      .byDefault(false).arity(SWITCH).flagAlias("-v")
      .group(LOGGING)
      .help("log what happens (INFO) on stderr; without it the commands other than serve log only warnings and "
          + "errors, and serve always logs fully")
      .build();

  public static final Setting<String> LOG_FORMAT = Setting.of("log-format", "text|json", Parse.matching("text|json", "text or json"))
      .byDefault("text").scope(ENVIRONMENT)
      .group(LOGGING)
      .help("json: one JSON object per log line on stderr (logback's JsonEncoder)")
      .build();

  public static final Setting<String> LOG_LEVEL = Setting.of("log-level", "LEVEL",
          Parse.matching("(?i)trace|debug|info|warn|error|off", "trace, debug, info, warn, error or off"))
      .byDefault("INFO").scope(ENVIRONMENT)
      .group(LOGGING)
      .help("root log level")
      .build();

  /** All of them, in declaration order. */
  public static final List<Setting<?>> ALL = List.of(CONFIG, HOME, MODEL, DATA_DIR, MILVUS, MILVUS_TOKEN, MILVUS_DB,
      COLLECTION, ADOPT_COLLECTION, VECTOR_FIELD, PATH_FIELD, CREATE_INDEX, PYTHON, INDEX, HNSW_M,
      HNSW_EF_CONSTRUCTION, SEARCH_EF, MILVUS_DEADLINE_S, MILVUS_LOAD_DEADLINE_S, DEVICE, PRECISION, MAX_BATCH_IMAGE, MAX_BATCH_TEXT, MAX_DELAY_MS, TEXT_BATCH_DELAY_US,
      BATCH_DELAY_US, QUEUE_CAPACITY, BATCHES_IN_FLIGHT, IMAGE_TRANSFER, IMAGE_DECODER, THREADS, TORCH_THREADS,
      REQUEST_WORKERS, INGEST_WORKERS, METRICS_LOG_S, TEXT_CACHE, HOST, PORT, API_TOKEN, API_TOKEN_ALL, CORS_ORIGINS,
      UI, MAX_UPLOAD_MB, UPLOAD_QUOTA_MB, UPLOAD_TTL_HOURS, QUERY_IMAGE_CACHE_MB, THUMBNAIL_CACHE_MB, MAX_CONNECTIONS,
      MAX_CONNECTIONS_PER_CLIENT, IDLE_TIMEOUT_S, HEADER_TIMEOUT_S, BODY_TIMEOUT_S, MAX_STREAMS_PER_CLIENT,
      MAX_STREAMS_PER_SESSION, MAX_QUEUED_PER_CLIENT, VERBOSE, LOG_FORMAT, LOG_LEVEL);

  private static <E extends Enum<E>> Setting.Builder<E> enumSetting(String name, Class<E> type, E byDefault) {
    Function<String, E> parser = Parse.choice(type);
    return Setting.of(name, Parse.choices(type), parser).byDefault(Parse.label(byDefault), v -> byDefault);
  }

  private static String ui(String s) {
    if (s.equals(UI_DEFAULT) || s.equals(UI_GRADIO)) {
      return s;
    }
    Path dir = Path.of(s).toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("must be default, gradio or the folder of a built page, got '" + s + "'");
    }
    return dir.toString();
  }

  /** CLIPSRV_PYTHON is the setting itself; MILVUS_LITE_PYTHON is what Milvus Lite's own docs use. */
  private static String litePython(Setting.Values v) {
    String lite = v.environment("MILVUS_LITE_PYTHON");
    if (lite != null && !lite.isBlank()) {
      return lite.strip();
    }
    Path venv = v.get(HOME).resolve(".cache/venv/bin/python");
    return Files.isExecutable(venv) ? venv.toString() : "python3";
  }
}
