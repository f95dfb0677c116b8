package dev.clipsearch.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every {@link Settings setting}: flags win over CLIPSRV_* environment variables, which win over the settings
 * file, which wins over the defaults. The only reader of the environment and of the settings file. Every value is
 * parsed and checked here, once; all the errors are reported together.
 *
 * <p>The file ({@code --config FILE} or CLIPSRV_CONFIG) is a properties file with the environment's names, the
 * CLIPSRV_ prefix optional and case ignored ({@code max_batch_image = 32}); an unknown name is an error, so a typo
 * never passes silently as a default. An unknown CLIPSRV_* variable is only warned about: the environment is shared
 * with other programs and older versions.
 */
public final class ConfigLoader {
  private static final Logger log = LoggerFactory.getLogger(ConfigLoader.class);
  static final String ENV_PREFIX = "CLIPSRV_";

  private ConfigLoader() {}

  /**
   * @param flags the raw strings given on the command line, by setting ({@code "true"} for a switch, comma-joined
   *     for a list)
   * @throws IllegalArgumentException listing every invalid value, an unreadable file or an unknown name in it
   */
  public static ServerConfig load(Map<Setting<?>, String> flags, Map<String, String> env) {
    for (String name : unknownEnvironment(env)) {
      log.warn("ignoring unknown environment variable {}: not a clip-search setting (--help and the README list them)",
          name);
    }
    return toConfig(resolve(flags, env));
  }

  /** CLIPSRV_* names in {@code env} that no setting reads. */
  public static Set<String> unknownEnvironment(Map<String, String> env) {
    Set<String> known = knownEnvironment();
    return env.keySet().stream().filter(k -> k.startsWith(ENV_PREFIX) && !known.contains(k))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<String> knownEnvironment() {
    return Settings.ALL.stream().flatMap(s -> s.environmentNames().stream())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  static SettingValues resolve(Map<Setting<?>, String> flags, Map<String, String> env) {
    List<String> errors = new ArrayList<>();
    Map<String, Source> file = readFile(flags, env, errors);
    SettingValues values = new SettingValues(env);
    for (Setting<?> s : Settings.ALL) {
      values.resolve(s, given(s, flags, env, file), errors);
    }
    if (values.get(Settings.API_TOKEN_ALL) && values.get(Settings.API_TOKEN).isEmpty()) {
      errors.add("--api-token-all needs --api-token");
    }
    if (values.get(Settings.UPLOAD_QUOTA_MB) < values.get(Settings.MAX_UPLOAD_MB)) {
      errors.add("--upload-quota-mb must hold at least one upload (--max-upload-mb " + values.get(Settings.MAX_UPLOAD_MB)
          + ")");
    }
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("invalid configuration:\n  - " + String.join("\n  - ", errors));
    }
    return values;
  }

  /** Where a value came from, and the name to blame when it is wrong. */
  record Source(Level level, String where, String raw) {}

  enum Level {
    DEFAULT, FILE, ENVIRONMENT, FLAG;

    /** The file and the environment are one level for the rule between --max-delay-ms and the per-tower delays. */
    int rank() {
      return this == FLAG ? 2 : this == DEFAULT ? 0 : 1;
    }
  }

  /**
   * The flag, else the first CLIPSRV_ environment name set, else the file's key, else another program's variable
   * (Gradio's GRADIO_SERVER_PORT: ambient, so anything said to clip-search itself wins), else null (the default).
   */
  private static Source given(Setting<?> s, Map<Setting<?>, String> flags, Map<String, String> env,
      Map<String, Source> file) {
    String flag = flags.get(s);
    if (flag != null) {
      return new Source(Level.FLAG, s.flag(), flag);
    }
    for (String name : s.environmentNames()) {
      String v = env.get(name);
      if (v != null && !v.isBlank()) {
        return new Source(Level.ENVIRONMENT, name, v);
      }
    }
    if (s.inFile()) {
      for (String name : s.environmentNames()) {
        Source f = file.get(name);
        if (f != null) {
          return f;
        }
      }
    }
    for (String name : s.foreignEnvironmentNames()) {
      String v = env.get(name);
      if (v != null && !v.isBlank()) {
        return new Source(Level.ENVIRONMENT, name, v);
      }
    }
    return null;
  }

  /** The settings file's values by environment name; an unknown or misplaced name is an error. */
  private static Map<String, Source> readFile(Map<Setting<?>, String> flags, Map<String, String> env,
      List<String> errors) {
    String named = flags.getOrDefault(Settings.CONFIG, env.get(Settings.CONFIG.environmentName()));
    if (named == null || named.isBlank()) {
      return Map.of();
    }
    Path f = Path.of(named.strip());
    Properties props = new Properties();
    try (Reader in = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
      props.load(in);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the settings file " + f + ": " + e.getMessage(), e);
    }
    Set<String> allowed = Settings.ALL.stream().filter(Setting::inFile).flatMap(s -> s.environmentNames().stream())
        .collect(Collectors.toCollection(TreeSet::new));
    Map<String, Source> values = new HashMap<>();
    for (String key : props.stringPropertyNames()) {
      String name = key.strip().toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
      name = name.startsWith(ENV_PREFIX) ? name : ENV_PREFIX + name;
      if (!allowed.contains(name)) {
        errors.add("unknown setting '" + key + "' in " + f + "; known: "
            + allowed.stream().map(n -> n.substring(ENV_PREFIX.length())).toList());
        continue;
      }
      values.put(name, new Source(Level.FILE, key + " in " + f, props.getProperty(key)));
    }
    return values;
  }

  private static ServerConfig toConfig(SettingValues v) {
    int queue = v.get(Settings.QUEUE_CAPACITY);
    return new ServerConfig(
        v.get(Settings.HOME),
        v.get(Settings.MODEL),
        v.get(Settings.DATA_DIR),
        new ServerConfig.Model(v.get(Settings.DEVICE), v.get(Settings.PRECISION), v.get(Settings.THREADS),
            v.get(Settings.TEXT_CACHE)),
        new ServerConfig.Batching(v.get(Settings.MAX_BATCH_TEXT),
            delayMicros(v, Settings.TEXT_BATCH_DELAY_US, 2), queue),
        new ServerConfig.Batching(v.get(Settings.MAX_BATCH_IMAGE),
            delayMicros(v, Settings.BATCH_DELAY_US, 5), queue),
        new ServerConfig.Engine(v.get(Settings.BATCHES_IN_FLIGHT), v.get(Settings.IMAGE_TRANSFER),
            v.get(Settings.TORCH_THREADS), v.get(Settings.REQUEST_WORKERS), v.get(Settings.INGEST_WORKERS),
            v.get(Settings.METRICS_LOG_S),
            v.get(Settings.IMAGE_DECODER)),
        new ServerConfig.Store(v.get(Settings.MILVUS), v.get(Settings.MILVUS_TOKEN), v.get(Settings.MILVUS_DB),
            v.get(Settings.COLLECTION), v.get(Settings.ADOPT_COLLECTION),
            new ServerConfig.Fields(v.get(Settings.VECTOR_FIELD), v.get(Settings.PATH_FIELD),
                v.get(Settings.CREATE_INDEX)),
            v.get(Settings.PYTHON),
            v.get(Settings.INDEX), v.get(Settings.HNSW_M), v.get(Settings.HNSW_EF_CONSTRUCTION), v.get(Settings.SEARCH_EF),
            java.time.Duration.ofSeconds(v.get(Settings.MILVUS_DEADLINE_S)),
            java.time.Duration.ofSeconds(v.get(Settings.MILVUS_LOAD_DEADLINE_S))),
        new ServerConfig.Web(v.get(Settings.HOST), v.get(Settings.PORT), (long) v.get(Settings.MAX_UPLOAD_MB) << 20,
            v.get(Settings.UI), v.get(Settings.API_TOKEN), v.get(Settings.API_TOKEN_ALL), v.get(Settings.CORS_ORIGINS),
            (long) v.get(Settings.UPLOAD_QUOTA_MB) << 20, v.get(Settings.UPLOAD_TTL_HOURS),
            (long) v.get(Settings.QUERY_IMAGE_CACHE_MB) << 20, (long) v.get(Settings.THUMBNAIL_CACHE_MB) << 20,
            new ServerConfig.Connections(v.get(Settings.MAX_CONNECTIONS), v.get(Settings.MAX_CONNECTIONS_PER_CLIENT),
                v.get(Settings.IDLE_TIMEOUT_S), v.get(Settings.HEADER_TIMEOUT_S), v.get(Settings.BODY_TIMEOUT_S),
                v.get(Settings.MAX_STREAMS_PER_CLIENT), v.get(Settings.MAX_STREAMS_PER_SESSION),
                v.get(Settings.MAX_QUEUED_PER_CLIENT))),
        new ServerConfig.Logging(v.get(Settings.VERBOSE), v.level(Settings.LOG_LEVEL) != Level.DEFAULT));
  }

  /**
   * A tower's µs delay wins over {@code --max-delay-ms} unless that was given at a higher level (a flag over the
   * environment or the file); without either, the tower's default.
   */
  private static long delayMicros(SettingValues v, Setting<Long> towerMicros, double defaultMs) {
    Long micros = v.get(towerMicros);
    Double ms = v.get(Settings.MAX_DELAY_MS);
    if (micros != null && (ms == null || v.level(towerMicros).rank() >= v.level(Settings.MAX_DELAY_MS).rank())) {
      return micros;
    }
    return Math.round((ms != null ? ms : defaultMs) * 1000);
  }
}
