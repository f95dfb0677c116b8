package dev.clipsearch.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Defaults, then an optional settings file, then CLIPSRV_* environment variables; the CLI layer applies its flags on
 * top. The only place that reads the environment or the settings file.
 *
 * <p>The file ({@code --config FILE} or CLIPSRV_CONFIG) is a properties file with the environment's names, the
 * CLIPSRV_ prefix optional and case ignored ({@code max_batch_image = 32}); an unknown name is an error, so a typo
 * never passes silently as a default.
 */
public final class ConfigLoader {
  /** Every setting the CLI reads (without the CLIPSRV_ prefix). */
  static final Set<String> KNOWN = Set.of("API_TOKEN", "API_TOKEN_ALL", "BATCH", "BATCH_DELAY_US", "BATCHES_IN_FLIGHT",
      "COLLECTION", "CORS_ORIGINS", "DATA_DIR", "DEVICE", "HOME", "HOST", "IMAGE_DECODER", "IMAGE_TRANSFER",
      "MAX_BATCH_IMAGE", "MAX_BATCH_TEXT", "MAX_DELAY_MS", "MAX_UPLOAD_MB", "METRICS_LOG_S", "MILVUS", "MILVUS_TOKEN",
      "MODEL", "PORT", "PRECISION", "PYTHON", "QUEUE_CAPACITY", "REQUEST_WORKERS", "TEXT_BATCH",
      "TEXT_BATCH_DELAY_US", "TEXT_CACHE", "THREADS", "TORCH_THREADS", "UI", "UPLOAD_QUOTA_MB", "UPLOAD_TTL_HOURS");

  private final Map<String, String> env;

  public ConfigLoader(Map<String, String> env) {
    this.env = env;
  }

  public static ConfigLoader fromSystem() {
    return from(System.getenv(), null);
  }

  /**
   * @param file the settings file, or null for CLIPSRV_CONFIG's (or none)
   * @throws IllegalArgumentException for an unreadable file or an unknown setting in it
   */
  public static ConfigLoader from(Map<String, String> env, Path file) {
    String named = env.get("CLIPSRV_CONFIG");
    Path f = file != null ? file : named == null || named.isBlank() ? null : Path.of(named.trim());
    if (f == null) {
      return new ConfigLoader(env);
    }
    Properties props = new Properties();
    try (Reader in = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
      props.load(in);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the settings file " + f + ": " + e.getMessage(), e);
    }
    Map<String, String> merged = new HashMap<>();
    for (String key : props.stringPropertyNames()) {
      String name = key.trim().toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
      name = name.startsWith("CLIPSRV_") ? name.substring("CLIPSRV_".length()) : name;
      if (!KNOWN.contains(name)) {
        throw new IllegalArgumentException("unknown setting '" + key + "' in " + f + "; known: "
            + new TreeSet<>(KNOWN));
      }
      merged.put("CLIPSRV_" + name, props.getProperty(key));
    }
    env.forEach((k, v) -> {
      if (v != null && !v.isBlank()) {
        merged.put(k, v); // the environment wins over the file
      }
    });
    return new ConfigLoader(merged);
  }

  public String get(String name, String fallback) {
    String v = env.get("CLIPSRV_" + name);
    return v == null || v.isBlank() ? fallback : v.trim();
  }

  public int getInt(String name, int fallback) {
    String v = get(name, null);
    try {
      return v == null ? fallback : Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("CLIPSRV_" + name + " must be an integer, got " + v);
    }
  }

  public double getDouble(String name, double fallback) {
    String v = get(name, null);
    try {
      return v == null ? fallback : Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("CLIPSRV_" + name + " must be a number, got " + v);
    }
  }

  /** The repository (or install) root: where .cache/venv and models/ live. */
  public Path home() {
    return Path.of(get("HOME", ".")).toAbsolutePath().normalize();
  }

  /** Milvus Lite's Python: CLIPSRV_PYTHON, else MILVUS_LITE_PYTHON, else the setup script's venv, else python3. */
  public String python() {
    String explicit = get("PYTHON", env.get("MILVUS_LITE_PYTHON"));
    if (explicit != null) {
      return explicit;
    }
    Path venv = home().resolve(".cache/venv/bin/python");
    return Files.isExecutable(venv) ? venv.toString() : "python3";
  }

  public int cores() {
    return Math.max(1, Runtime.getRuntime().availableProcessors());
  }
}
