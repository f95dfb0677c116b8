package dev.clipsearch.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StoreOptionsTest {
  private static StoreOptions local() {
    return StoreOptions.defaults("./milvus.db", 512);
  }

  private static String rejection(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    StoreOptions o = local();
    assertEquals("image_collection", o.collection());
    assertEquals(StoreOptions.IndexKind.HNSW, o.indexType());
    assertEquals(16, o.hnswM());
    assertEquals(200, o.hnswEfConstruction());
    assertEquals(64, o.searchEf());
    assertEquals(Duration.ofSeconds(10), o.rpcDeadline());
    assertNull(o.token());
  }

  @Test
  void localPathsMeanEmbeddedLiteAndHttpUrisMeanAServer() {
    assertFalse(local().isRemote());
    assertEquals(Path.of("milvus.db").toAbsolutePath(), local().liteDataDir());
    assertFalse(StoreOptions.defaults("/var/lib/clip", 8).isRemote());
    assertFalse(StoreOptions.defaults("C:\\data\\milvus", 8).isRemote(), "a drive letter is not a scheme");
    assertTrue(StoreOptions.defaults("http://milvus:19530", 8).isRemote());
    assertTrue(StoreOptions.defaults("HTTPS://cloud.example:443", 8).isRemote());
    assertThrows(IllegalStateException.class, () -> StoreOptions.defaults("http://m:1", 8).liteDataDir());
  }

  @Test
  void badUrisAreRejectedWithWhatToUseInstead() {
    assertTrue(rejection(() -> StoreOptions.defaults("tcp://m:19530", 8)).contains("use http://host:port"));
    assertTrue(rejection(() -> StoreOptions.defaults("unix:/tmp/milvus.sock", 8)).contains("scheme 'unix'"));
    assertTrue(rejection(() -> StoreOptions.defaults("  ", 8)).contains("empty"));
    assertTrue(rejection(() -> StoreOptions.defaults("http://:19530", 8)).contains("no host"));
  }

  @Test
  void outOfRangeValuesAreRejectedNamingTheOption() {
    assertTrue(rejection(() -> StoreOptions.defaults("d", 0)).contains("dimension 0"));
    assertTrue(rejection(() -> StoreOptions.defaults("d", 32_769)).contains("dimension"));
    assertTrue(rejection(() -> local().withCollection("1st")).contains("collection name '1st'"));
    assertTrue(rejection(() -> local().withCollection("my-images")).contains("collection name"));
    assertTrue(rejection(() -> local().withCollection("")).contains("collection name"));
    assertTrue(rejection(() -> local().withIndex(StoreOptions.IndexKind.HNSW, 1, 200)).contains("M 1"));
    assertTrue(rejection(() -> local().withIndex(StoreOptions.IndexKind.HNSW, 16, 0)).contains("efConstruction"));
    assertTrue(rejection(() -> local().withSearchEf(0)).contains("ef"));
    assertTrue(rejection(() -> local().withDeadlines(Duration.ZERO, Duration.ofSeconds(1))).contains("RPC deadline"));
    assertTrue(rejection(() -> local().withLite(" ", Duration.ofSeconds(1))).contains("Python"));
    assertEquals("_images2", local().withCollection("_images2").collection());
  }

  @Test
  void aBlankTokenIsNoTokenAndTheTokenIsNeverPrinted() {
    assertNull(local().withToken("  ").token());
    StoreOptions o = StoreOptions.defaults("https://cloud:443", 8).withToken("root:secret");
    assertEquals("root:secret", o.token());
    assertFalse(o.toString().contains("secret"), o.toString());
  }
}
