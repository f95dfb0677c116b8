package dev.clipsearch.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.config.Settings;
import dev.clipsearch.testing.StoreConfigs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoreOptionsTest {
  private static final Duration S = Duration.ofSeconds(1);

  /** A local store with every field given; one of them wrong per check below. */
  private static StoreOptions options(String uri, String token, String collection, int dimension, int m, int efc,
      int ef, Duration rpc, String python) {
    return new StoreOptions(uri, token, collection, dimension, StoreOptions.IndexKind.HNSW, m, efc, ef, rpc, S, python,
        S, null, null, false, "vector", "filepath", false);
  }

  private static StoreOptions at(String uri) {
    return options(uri, null, "images", 8, 16, 200, 64, S, "python3");
  }

  private static String rejection(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }

  @Test
  void theDefaultsComeFromTheSettings() {
    StoreOptions o = StoreConfigs.options(512, Map.of(Settings.MILVUS, "./milvus.db"));
    assertEquals("image_collection", o.collection());
    assertEquals(StoreOptions.IndexKind.HNSW, o.indexType());
    assertEquals(16, o.hnswM());
    assertEquals(200, o.hnswEfConstruction());
    assertEquals(64, o.searchEf());
    assertEquals(Duration.ofSeconds(10), o.rpcDeadline());
    assertEquals(Duration.ofMinutes(15), o.loadDeadline());
    assertNull(o.token());
  }

  @Test
  void localPathsMeanEmbeddedLiteAndHttpUrisMeanAServer() {
    assertFalse(at("./milvus.db").isRemote());
    assertEquals(Path.of("milvus.db").toAbsolutePath(), at("./milvus.db").liteDataDir());
    assertFalse(at("/var/lib/clip").isRemote());
    assertFalse(at("C:\\data\\milvus").isRemote(), "a drive letter is not a scheme");
    assertTrue(at("http://milvus:19530").isRemote());
    assertTrue(at("HTTPS://cloud.example:443").isRemote());
    assertThrows(IllegalStateException.class, () -> at("http://m:1").liteDataDir());
  }

  @Test
  void badUrisAreRejectedWithWhatToUseInstead() {
    assertTrue(rejection(() -> at("tcp://m:19530")).contains("use http://host:port"));
    assertTrue(rejection(() -> at("unix:/tmp/milvus.sock")).contains("scheme 'unix'"));
    assertTrue(rejection(() -> at("  ")).contains("empty"));
    assertTrue(rejection(() -> at("http://:19530")).contains("no host"));
  }

  @Test
  void outOfRangeValuesAreRejectedNamingTheOption() {
    assertTrue(rejection(() -> options("d", null, "images", -1, 16, 200, 64, S, "p")).contains("dimension -1"));
    assertEquals(StoreOptions.ANY_DIMENSION, options("d", null, "images", 0, 16, 200, 64, S, "p").dimension(),
        "0: any dimension, for the tools that load no model");
    assertTrue(rejection(() -> options("d", null, "images", 32_769, 16, 200, 64, S, "p")).contains("dimension"));
    assertTrue(rejection(() -> options("d", null, "1st", 8, 16, 200, 64, S, "p")).contains("collection name '1st'"));
    assertTrue(rejection(() -> options("d", null, "my-images", 8, 16, 200, 64, S, "p")).contains("collection name"));
    assertTrue(rejection(() -> options("d", null, "", 8, 16, 200, 64, S, "p")).contains("collection name"));
    assertTrue(rejection(() -> options("d", null, "images", 8, 1, 200, 64, S, "p")).contains("M 1"));
    assertTrue(rejection(() -> options("d", null, "images", 8, 16, 0, 64, S, "p")).contains("efConstruction"));
    assertTrue(rejection(() -> options("d", null, "images", 8, 16, 200, 0, S, "p")).contains("ef"));
    assertTrue(rejection(() -> options("d", null, "images", 8, 16, 200, 64, Duration.ZERO, "p")).contains("RPC deadline"));
    assertTrue(rejection(() -> options("d", null, "images", 8, 16, 200, 64, S, " ")).contains("Python"));
    assertEquals("_images2", options("d", null, "_images2", 8, 16, 200, 64, S, "p").collection());
  }

  @Test
  void aBlankTokenIsNoTokenAndTheTokenIsNeverPrinted() {
    assertNull(options("d", "  ", "images", 8, 16, 200, 64, S, "p").token());
    StoreOptions o = options("https://cloud:443", "root:secret", "images", 8, 16, 200, 64, S, "p");
    assertEquals("root:secret", o.token());
    assertFalse(o.toString().contains("secret"), o.toString());
  }
}
