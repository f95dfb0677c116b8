package dev.clipsearch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.config.Settings;
import dev.clipsearch.search.SearchService;
import dev.clipsearch.store.Hit;
import dev.clipsearch.store.ImageRecord;
import dev.clipsearch.store.LiteLauncher;
import dev.clipsearch.store.MilvusVectorStore;
import dev.clipsearch.store.StoreOptions;
import dev.clipsearch.testing.LiteKill;
import dev.clipsearch.testing.StoreConfigs;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Milvus Lite killed (kill -9) under a running server: the next search is a clear 503, /readyz says why, and searches
 * succeed again within seconds with every stored row still there. The "encoder" is a seeded random vector per query,
 * so the test needs no model: what is under test is the server and the store, not CLIP.
 */
class LiteRestartIT {
  private static final int DIM = 16;
  @TempDir Path tmp;

  @Test
  void searchesFailClearlyThenRecoverAfterTheLiteChildIsKilled() throws Exception {
    String python = LiteLauncher.defaultPython(Path.of("").toAbsolutePath(), System.getenv());
    StoreOptions o = StoreConfigs.options(DIM, Map.of(Settings.MILVUS, tmp.resolve("milvus").toString(),
        Settings.PYTHON, python, Settings.MILVUS_DEADLINE_S, "20", Settings.MILVUS_LOAD_DEADLINE_S, "120"));
    Metrics metrics = new Metrics();
    try (MilvusVectorStore store = MilvusVectorStore.open(o)) {
      store.observe(metrics);
      store.ensureCollection();
      Path images = java.nio.file.Files.createDirectories(tmp.resolve("images"));
      List<ImageRecord> rows = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        rows.add(new ImageRecord(images.resolve(i + ".png").toString(), vector("query " + i)));
      }
      store.insert(rows);
      SearchService search = new VectorOnlySearch(store);
      WebOps ops = new WebOps(Map.of("store", () -> {
        store.ping();
        return null;
      }), ApiToken.none(), metrics, java.util.Set.of());
      try (WebServer server = new WebServer(search, new FakeIngestService(), tmp.resolve("uploads"),
          Limits.defaults(), Limits.minimalPage(), ops).start(0, "127.0.0.1")) {
        Client c = new Client(server.port());
        HttpResponse<String> before = c.search("query 7");
        assertEquals(200, before.statusCode(), before.body());
        assertTrue(before.body().contains("7.png"), before.body());

        LiteKill.kill(store.lite()); // this store's own child, not any Lite another class left behind
        long killed = System.nanoTime();

        HttpResponse<String> failed = c.search("query 7");
        assertEquals(503, failed.statusCode(), failed.body());
        assertEquals("{\"error\":\"" + ErrorMapping.STORE_RESTARTING + "\"}", failed.body());
        HttpResponse<String> ready = c.get("/readyz");
        assertTrue(ready.statusCode() == 503 && ready.body().contains("restarting"), ready.body());

        HttpResponse<String> again;
        do {
          Thread.sleep(250);
          again = c.search("query 7");
        } while (again.statusCode() == 503 && (System.nanoTime() - killed) < 60_000_000_000L);
        long ms = (System.nanoTime() - killed) / 1_000_000;
        System.out.printf("[measure] server searching again %d ms after kill -9 of Milvus Lite%n", ms);
        assertEquals(200, again.statusCode(), again.body());
        assertTrue(again.body().contains("7.png"), again.body());
        assertEquals(20, store.count(), "nothing stored was lost");
        assertEquals(200, c.get("/readyz").statusCode());
        String m = c.get("/metrics").body();
        assertTrue(m.contains("route=\"/run/{api}\",status=\"503\"}"), m);
        assertTrue(m.contains("clipsearch_store_call_duration_seconds_count{operation=\"search\"}"), m);
      }
    }
  }

  /** The Lite launcher this JVM started (its script is extracted as clip-search-lite-*.py). */
  static float[] vector(String text) {
    Random rnd = new Random(text.hashCode());
    float[] v = new float[DIM];
    double n = 0;
    for (int i = 0; i < DIM; i++) {
      v[i] = (float) rnd.nextGaussian();
      n += v[i] * v[i];
    }
    for (int i = 0; i < DIM; i++) {
      v[i] /= (float) Math.sqrt(n);
    }
    return v;
  }

  /** Text "search" by a seeded vector: the store and the web layer are real, the model is not. */
  private record VectorOnlySearch(MilvusVectorStore store) implements SearchService {
    @Override
    public List<Hit> byText(String query, int k) {
      return store.search(vector(query), k);
    }

    @Override
    public List<Hit> byImage(byte[] encodedImage, int k) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean isServable(String path) {
      return false;
    }

    @Override
    public OptionalLong imageCount() {
      return OptionalLong.of(store.count());
    }
  }

  private record Client(int port) {
    HttpResponse<String> search(String q) throws Exception {
      return send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/run/search"))
          .header("Content-Type", "application/json")
          .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"data\":[\"" + q + "\",3]}")));
    }

    HttpResponse<String> get(String path) throws Exception {
      return send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path)));
    }

    private static HttpResponse<String> send(java.net.http.HttpRequest.Builder b) throws Exception {
      return java.net.http.HttpClient.newHttpClient().send(b.timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }
}
