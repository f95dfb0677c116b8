package dev.clipsearch.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Defaults, then CLIPSRV_* environment variables; the CLI layer applies its flags on top. The only place that
 * reads the environment.
 */
public final class ConfigLoader {
  private final Map<String, String> env;

  public ConfigLoader(Map<String, String> env) {
    this.env = env;
  }

  public static ConfigLoader fromSystem() {
    return new ConfigLoader(System.getenv());
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
