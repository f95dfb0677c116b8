package dev.clipsearch.testing;

import dev.clipsearch.store.LiteLauncher;
import dev.clipsearch.store.StoreOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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
   * Options for {@code collection}, {@code dimension}-d, with test deadlines.
   *
   * @param liteDir the embedded Lite's data directory (LITE only)
   */
  public StoreOptions options(Path liteDir, String collection, int dimension) {
    StoreOptions o = this == LITE
        ? StoreOptions.defaults(liteDir.toString(), dimension)
            .withLite(LiteLauncher.defaultPython(Path.of("").toAbsolutePath(), System.getenv()), Duration.ofSeconds(60))
        : StoreOptions.defaults(MilvusStandalone.shared().uri(), dimension).withToken(MilvusStandalone.ROOT_TOKEN);
    return o.withCollection(collection).withDeadlines(Duration.ofSeconds(30), Duration.ofMinutes(2));
  }

  /** The clip-search flags that select this store: {@code --milvus URI --milvus-token ... --collection NAME}. */
  public List<String> cliArgs(Path liteDir, String collection) {
    return this == LITE ? List.of("--milvus", liteDir.toString(), "--collection", collection)
        : List.of("--milvus", MilvusStandalone.shared().uri(), "--milvus-token", MilvusStandalone.ROOT_TOKEN,
            "--collection", collection);
  }
}
