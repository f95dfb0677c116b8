package dev.clipsearch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipsearch.testing.ServerProbes;
import dev.clipsearch.testing.SharedData;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short version of the soak benchmark (bench.SoakBench runs 10 minutes): the shipped jar with the test model,
 * 16 clients mixing text searches, image searches and ingests for 60 s. No call may fail other than by deliberate
 * overload, every successful ingest is stored exactly once, memory does not climb, and the server stops cleanly.
 */
class SoakIT {
  private static final int STORED = 300;
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path work;

  @Test
  void mixedLoadFailsNothingStoresEveryIngestAndKeepsMemoryFlat() throws Exception {
    Path images = Files.createDirectories(work.resolve("images"));
    try (Stream<Path> s = Files.walk(SharedData.root().resolve("data/cifar10-test"))) {
      for (Path p : s.filter(f -> f.toString().endsWith(".jpg")).sorted().limit(STORED).toList()) {
        Files.createSymbolicLink(images.resolve(p.getParent().getFileName() + "-" + p.getFileName()), p);
      }
    }
    Process server = JarProcess.builder(work, "serve", "--port", "0", "--model",
        SharedData.tinyClipModel().toString(), "--data-dir", work.resolve("data").toString(), "--images",
        images.toString(), "--metrics-log-s", "0").redirectErrorStream(true).start();
    try {
      String url = JarProcess.awaitUrl(server);
      ServerProbes.awaitIngestDone(url, Duration.ofMinutes(5)); // the soak starts on the whole folder stored
      SoakRun.Result r = new SoakRun(url, server.pid()).run(16, Duration.ofSeconds(60), Duration.ofSeconds(10));
      System.out.println("[measure] soak " + r);

      assertEquals(0, r.failed(), "calls failed other than by overload: " + r.failures());
      assertTrue(r.texts() > 0 && r.images() > 0 && r.ingests() > 0, "every kind of call succeeded: " + r);
      assertEquals(STORED + r.ingests(), collectionSize(url), "each successful ingest stored one new image");
      // Windows 2..6 come after warm-up (JIT, first thumbnails, Lite's first segments). The 10-minute benchmark
      // checks 10 %; a one-minute run on a shared box gets a looser bound that still catches a leak per call.
      List<SoakRun.Window> w = r.windows();
      long warm = w.get(1).rssMb();
      long last = w.get(w.size() - 1).rssMb();
      assertTrue(warm > 0 && last <= warm * 1.25, "RSS grew from " + warm + " MB to " + last + " MB: " + w);
      assertEquals(200, HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "healthz")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode());
    } finally {
      server.destroy();
      assertTrue(server.waitFor(60, TimeUnit.SECONDS), "server did not stop on SIGTERM");
    }
    assertEquals(0, server.exitValue(), "SIGTERM after a soak is a clean exit");
  }

  private static long collectionSize(String url) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(url + "gradio_api/collection")).build(), HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body()).path("images").asLong(-1);
  }
}
