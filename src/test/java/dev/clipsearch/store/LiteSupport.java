package dev.clipsearch.store;

import dev.clipsearch.config.Settings;
import dev.clipsearch.testing.StoreConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

/** Shared set-up for the Milvus Lite integration tests. */
final class LiteSupport {
  static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private LiteSupport() {}

  /**
   * The Python with Milvus Lite: the project's venv or $MILVUS_LITE_PYTHON. Without either the ITs fail (never skip):
   * CI runs src/scripts/setup.sh first, so a missing env is a broken set-up that must be seen.
   */
  static String python() {
    String python = LiteLauncher.defaultPython(Path.of("").toAbsolutePath(), System.getenv());
    if (python.equals("python3") || (python.contains("/") && !Files.isExecutable(Path.of(python)))) {
      throw new IllegalStateException("Milvus Lite integration tests need the project's Python env: run "
          + "src/scripts/setup.sh (it creates .cache/venv), or set MILVUS_LITE_PYTHON to a Python with "
          + "pymilvus[milvus-lite]; resolved '" + python + "'");
    }
    return python;
  }

  static LiteLauncher startLite(Path dataDir) {
    return LiteLauncher.start(dataDir, python(), START_TIMEOUT);
  }

  /** Options for an embedded store in {@code dataDir}, with test-friendly deadlines. */
  static StoreOptions liteOptions(Path dataDir, int dimension) {
    return StoreConfigs.options(dimension, java.util.Map.of(Settings.MILVUS, dataDir.toString(),
        Settings.PYTHON, python(), Settings.MILVUS_DEADLINE_S, "20", Settings.MILVUS_LOAD_DEADLINE_S, "120"));
  }

  /** A random unit vector. */
  static float[] unit(Random rnd, int dim) {
    float[] v = new float[dim];
    double norm = 0;
    for (int i = 0; i < dim; i++) {
      v[i] = (float) rnd.nextGaussian();
      norm += v[i] * v[i];
    }
    float inv = (float) (1 / Math.sqrt(norm));
    for (int i = 0; i < dim; i++) {
      v[i] *= inv;
    }
    return v;
  }
}
