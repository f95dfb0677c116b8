package dev.clipsearch.testing;

import dev.clipsearch.config.Setting;
import dev.clipsearch.config.Settings;
import dev.clipsearch.store.LiteLauncher;
import dev.clipsearch.store.StoreOptions;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a storage or end-to-end IT keeps its vectors: an embedded Milvus Lite in the test's own directory, or a
 * collection of its own on the run's shared Milvus standalone ({@link MilvusStandalone#shared()}, authorisation on).
 * The ITs that matter for storage run once per target: the Lite class, and a {@code ...ServerIT} subclass that
 * overrides its target.
 */
public enum StoreTarget {
  LITE,
  STANDALONE;

  /**
   * The settings that select {@code collection} on this target, with test deadlines.
   *
   * @param liteDir the embedded Lite's data directory (LITE only)
   */
  public Map<Setting<?>, String> settings(Path liteDir, String collection) {
    Map<Setting<?>, String> s = new HashMap<>(Map.of(Settings.COLLECTION, collection, Settings.MILVUS_DEADLINE_S,
        "30", Settings.MILVUS_LOAD_DEADLINE_S, "120"));
    if (this == LITE) {
      s.put(Settings.MILVUS, liteDir.toString());
      s.put(Settings.PYTHON, LiteLauncher.defaultPython(Path.of("").toAbsolutePath(), System.getenv()));
    } else {
      s.put(Settings.MILVUS, MilvusStandalone.shared().uri());
      s.put(Settings.MILVUS_TOKEN, MilvusStandalone.ROOT_TOKEN);
    }
    return Map.copyOf(s);
  }

  /** Options for {@code collection}, {@code dimension}-d, with test deadlines; see {@link #settings}. */
  public StoreOptions options(Path liteDir, String collection, int dimension) {
    return StoreConfigs.options(dimension, settings(liteDir, collection));
  }

  /** The clip-search flags that select this store: {@code --milvus URI --milvus-token ... --collection NAME}. */
  public List<String> cliArgs(Path liteDir, String collection) {
    return this == LITE ? List.of("--milvus", liteDir.toString(), "--collection", collection)
        : List.of("--milvus", MilvusStandalone.shared().uri(), "--milvus-token", MilvusStandalone.ROOT_TOKEN,
            "--collection", collection);
  }
}
