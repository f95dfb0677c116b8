package dev.clipsearch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipsearch.model.ModelSpec;
import dev.clipsearch.store.MilvusVectorStore;
import dev.clipsearch.store.StoredImage;
import dev.clipsearch.testing.SharedData;
import dev.clipsearch.testing.StoreTarget;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale-out: two served clip-search instances and concurrent ingests sharing one collection on one Milvus server.
 * Two ingests of different folders run at once, then two ingests of the same folder at once; afterwards every image
 * is stored exactly once, and both instances answer searches alike.
 */
class ScaleOutServerIT {
  private static final String COLLECTION = "scale_out";
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path work;

  /** Links {@code perClass} images of each of {@code classes} into {@code dir}. */
  private static int link(Path dir, List<String> classes, int from, int perClass) throws Exception {
    int n = 0;
    for (String cls : classes) {
      Path to = Files.createDirectories(dir.resolve(cls));
      for (int i = from; i < from + perClass; i++) {
        Path src = SharedData.root().resolve("data/cifar10-test").resolve(cls).resolve(String.format("%04d.jpg", i));
        Files.createSymbolicLink(to.resolve(src.getFileName()), src);
        n++;
      }
    }
    return n;
  }

  private List<String> store() {
    return List.of("--model", SharedData.tinyClipModel().toString(), "--data-dir", work.resolve("data").toString());
  }

  private Process ingest(Path folder, String name) throws Exception {
    List<String> args = new ArrayList<>(List.of("ingest", folder.toString()));
    args.addAll(store());
    args.addAll(StoreTarget.STANDALONE.cliArgs(null, COLLECTION));
    return JarProcess.builder(work, args.toArray(String[]::new)).redirectOutput(work.resolve(name + ".json").toFile())
        .redirectError(work.resolve(name + ".log").toFile()).start();
  }

  private JsonNode finish(Process p, String name) throws Exception {
    assertTrue(p.waitFor(600, TimeUnit.SECONDS), name + " did not finish");
    assertEquals(0, p.exitValue(), name + ": " + Files.readString(work.resolve(name + ".log")));
    return JSON.readTree(Files.readString(work.resolve(name + ".json")));
  }

  private Process serve(String name) throws Exception {
    List<String> args = new ArrayList<>(List.of("serve", "--port", "0", "--model",
        SharedData.tinyClipModel().toString(), "--data-dir", work.resolve(name).toString()));
    args.addAll(StoreTarget.STANDALONE.cliArgs(null, COLLECTION));
    return JarProcess.builder(work, args.toArray(String[]::new)).redirectErrorStream(true).start();
  }

  /** The captions ("file.jpg · score") of a search on one instance. */
  private static List<String> captions(String url, String query) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "run/search"))
        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofString("{\"data\":[\"" + query + "\",10]}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    List<String> out = new ArrayList<>();
    for (JsonNode item : JSON.readTree(r.body()).get("data").get(0)) {
      out.add(item.get("caption").asText());
    }
    return out;
  }

  @Test
  void twoInstancesShareOneCollectionAndConcurrentIngestsLeaveEveryImageExactlyOnce() throws Exception {
    Path left = work.resolve("left");
    Path right = work.resolve("right");
    Path shared = work.resolve("shared");
    int total = link(left, List.of("airplane", "automobile", "bird"), 0, 100)
        + link(right, List.of("cat", "deer", "dog"), 0, 100)
        + link(shared, List.of("frog", "horse", "ship", "truck", "dog"), 100, 150);

    Process a = serve("a");
    Process b = serve("b");
    try {
      String urlA = JarProcess.awaitUrl(a);
      String urlB = JarProcess.awaitUrl(b);

      Process l = ingest(left, "left");
      Process r = ingest(right, "right");
      assertEquals(300, finish(l, "left").get("inserted").asInt());
      assertEquals(300, finish(r, "right").get("inserted").asInt());

      Process s1 = ingest(shared, "shared1");
      Process s2 = ingest(shared, "shared2");
      JsonNode one = finish(s1, "shared1");
      JsonNode two = finish(s2, "shared2");
      int inserted = one.get("inserted").asInt() + two.get("inserted").asInt();
      int repaired = one.get("repaired").asInt() + two.get("repaired").asInt();
      System.out.printf("[measure] one folder ingested twice at once: inserted %d + %d, skipped %d + %d, "
          + "concurrent duplicates removed %d + %d (750 images)%n", one.get("inserted").asInt(),
          two.get("inserted").asInt(), one.get("skipped").asInt(), two.get("skipped").asInt(),
          one.get("repaired").asInt(), two.get("repaired").asInt());
      assertTrue(inserted > 750, "the two runs overlapped (else this test proves nothing): inserted " + inserted);
      // both runs may delete the same duplicate, each counting it
      assertTrue(repaired >= inserted - 750, "every duplicate stored by the race was removed: " + repaired);

      int dim = ModelSpec.forModel(SharedData.tinyClipModel()).embedDim();
      try (MilvusVectorStore s = MilvusVectorStore.open(StoreTarget.STANDALONE.options(null, COLLECTION, dim))) {
        List<StoredImage> rows = s.under(work.toRealPath().toString());
        assertEquals(total, rows.size());
        assertEquals(total, rows.stream().map(StoredImage::path).distinct().count(), "no image twice");
        assertEquals(total, s.count());
      }
      List<String> fromA = captions(urlA, "a photo of a dog");
      assertEquals(10, fromA.size());
      assertEquals(fromA, captions(urlB, "a photo of a dog"), "both instances search the same collection");
    } finally {
      for (Process p : List.of(a, b)) {
        p.destroy();
        p.waitFor(60, TimeUnit.SECONDS);
      }
    }
  }
}
