package dev.clipsearch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.testing.ServerProbes;
import dev.clipsearch.testing.SharedData;
import dev.clipsearch.web.RawClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped jar (test model, Milvus Lite) under hostile and heavy traffic (issue 21): hundreds of half-sent
 * requests and idle streams held open from another loopback address while honest clients search, an upload that
 * announces 10 GB, a client over its connection cap, and searches while ingests run. Scaled to run in CI in about a
 * minute and a half; bench.SoakBench runs the long version with thousands of hostile connections.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileTrafficIT {
  /** Over this, one address's connections are refused: above the hostile background, so it is held, not refused. */
  private static final int PER_CLIENT = 400;
  private static final int HOSTILE = 300;
  private Process server;
  private String url;
  private int port;

  @BeforeAll
  void start(@TempDir Path work) throws Exception {
    Path images = Files.createDirectories(work.resolve("images"));
    try (Stream<Path> s = Files.walk(SharedData.root().resolve("data/cifar10-test"))) {
      for (Path p : s.filter(f -> f.toString().endsWith(".jpg")).sorted().limit(200).toList()) {
        Files.createSymbolicLink(images.resolve(p.getParent().getFileName() + "-" + p.getFileName()), p);
      }
    }
    // A header deadline longer than the test, so the trickled headers are held too (its cut-off is ConnectionLimitsTest's).
    server = JarProcess.builder(work, "serve", "--port", "0", "--model", SharedData.tinyClipModel().toString(),
        "--data-dir", work.resolve("data").toString(), "--images", images.toString(), "--metrics-log-s", "0",
        "--max-connections-per-client", Integer.toString(PER_CLIENT), "--header-timeout-s", "120",
        "--body-timeout-s", "120").redirectErrorStream(true).start();
    url = JarProcess.awaitUrl(server);
    ServerProbes.awaitIngestDone(url, Duration.ofMinutes(5)); // the port opens before the folder is stored
    port = URI.create(url).getPort();
  }

  @AfterAll
  void stop() throws Exception {
    if (server == null) {
      return;
    }
    server.destroy();
    assertTrue(server.waitFor(60, TimeUnit.SECONDS), "server did not stop on SIGTERM");
  }

  @Test
  void honestSearchesAreAnsweredWhileHundredsOfHostileConnectionsAreHeldOpen() throws Exception {
    try (HostileClients hostile = new HostileClients("127.0.0.2", port, HOSTILE)) {
      waitFor(() -> hostile.open() >= HOSTILE, "hostile connections opened");
      Thread.sleep(1_000);
      SoakRun.Result r = new SoakRun(url, server.pid(), SoakRun.Mix.SEARCHES).run(8, Duration.ofSeconds(15),
          Duration.ofSeconds(15));
      System.out.println("[measure] hostile " + HOSTILE + ": " + r.p50p99ByKind().get("text")[1] + " ms text p99, "
          + r.p50p99ByKind().get("image")[1] + " ms image p99, cut " + hostile.cut());
      assertEquals(0, r.failed() + r.overloaded(), "honest calls failed: " + r.failures());
      assertTrue(r.texts() > 50 && r.images() > 10, "searches were answered: " + r);
      // Generous for a loaded CI box; unprotected, these searches wait for the 30 s idle timeout or never finish.
      assertTrue(r.p50p99ByKind().get("text")[1] < 3_000, "text p99 " + r.p50p99ByKind().get("text")[1] + " ms");
      assertTrue(hostile.open() >= HOSTILE * 0.95, "the hostile connections were held, not refused: " + hostile.cut());
      Map<String, Double> g = new SoakRun(url, server.pid()).serverGauges();
      assertTrue(g.getOrDefault("connections", 0.0) >= HOSTILE, "the server counted them: " + g);
    }
  }

  @Test
  void anUploadAnnouncingTenGigabytesIsRefusedAtOnce() throws Exception {
    try (RawClient c = new RawClient("127.0.0.1", port)) {
      long t0 = System.nanoTime();
      c.send(RawClient.head("POST", "/gradio_api/upload", "multipart/form-data; boundary=b", 10L << 30) + "--b\r\n");
      assertEquals(413, c.readStatus(10_000));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      System.out.println("[measure] 10 GB upload refused in " + ms + " ms");
      assertTrue(ms < 1_000, "refused in " + ms + " ms");
    }
  }

  @Test
  void aClientOverItsConnectionCapIsRefusedClearlyAndOthersAreServed() throws Exception {
    List<RawClient> held = new ArrayList<>();
    try {
      for (int i = 0; i < PER_CLIENT; i++) {
        RawClient c = new RawClient("127.0.0.3", port);
        held.add(c);
        assertEquals(200, c.send(RawClient.get("/healthz")).readStatus(10_000));
      }
      try (RawClient over = new RawClient("127.0.0.3", port)) {
        over.send(RawClient.get("/healthz"));
        String answer = over.readToEnd(10_000);
        assertTrue(answer.startsWith("HTTP/1.1 429") && answer.contains("Too many connections from your address"),
            answer);
      }
      SoakRun.Result other = new SoakRun(url, server.pid(), SoakRun.Mix.SEARCHES).run(2, Duration.ofSeconds(3),
          Duration.ofSeconds(3));
      assertEquals(0, other.failed() + other.overloaded(), "another address is served: " + other.failures());
      assertTrue(other.texts() > 0);
    } finally {
      for (RawClient c : held) {
        c.close();
      }
    }
  }

  @Test
  void searchesKeepTheirLatencyWhileIngestsRun() throws Exception {
    SoakRun.Result alone = new SoakRun(url, server.pid(), SoakRun.Mix.SEARCHES).run(4, Duration.ofSeconds(12),
        Duration.ofSeconds(12));
    SoakRun.Result[] ingest = new SoakRun.Result[1];
    Thread ingests = new Thread(() -> {
      try {
        ingest[0] = new SoakRun(url, server.pid(), SoakRun.Mix.INGESTS).run(12, Duration.ofSeconds(16),
            Duration.ofSeconds(16));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    ingests.start();
    Thread.sleep(2_000); // the ingest load is running before the searches start
    SoakRun.Result during = new SoakRun(url, server.pid(), SoakRun.Mix.SEARCHES).run(4, Duration.ofSeconds(12),
        Duration.ofSeconds(12));
    ingests.join(60_000);
    double[] textAlone = alone.p50p99ByKind().get("text");
    double[] textDuring = during.p50p99ByKind().get("text");
    double[] imageAlone = alone.p50p99ByKind().get("image");
    double[] imageDuring = during.p50p99ByKind().get("image");
    System.out.printf("[measure] searches alone: text p50 %.0f p99 %.0f, image p50 %.0f p99 %.0f ms; with %d ingests "
            + "running: text p50 %.0f p99 %.0f, image p50 %.0f p99 %.0f ms%n", textAlone[0], textAlone[1],
        imageAlone[0], imageAlone[1], ingest[0].ingests(), textDuring[0], textDuring[1], imageDuring[0],
        imageDuring[1]);
    assertEquals(0, alone.failed() + during.failed() + ingest[0].failed(), "failures: " + during.failures()
        + ingest[0].failures());
    assertTrue(ingest[0].ingests() >= 20, "ingests really ran meanwhile: " + ingest[0].ingests());
    // Generous bounds: a shared CI box is noisy, but searches stuck behind ingests take seconds (the 10-minute soak
    // before this change: ingest p50 2.5 s on the same workers).
    assertTrue(textDuring[0] <= Math.max(3 * textAlone[0], textAlone[0] + 250),
        "text p50 " + textAlone[0] + " -> " + textDuring[0] + " ms");
    assertTrue(textDuring[1] <= Math.max(3 * textAlone[1], textAlone[1] + 1_000),
        "text p99 " + textAlone[1] + " -> " + textDuring[1] + " ms");
    assertTrue(imageDuring[0] <= Math.max(3 * imageAlone[0], imageAlone[0] + 250),
        "image p50 " + imageAlone[0] + " -> " + imageDuring[0] + " ms");
  }

  private static void waitFor(java.util.function.BooleanSupplier done, String what) throws InterruptedException {
    long end = System.nanoTime() + 30_000_000_000L;
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting: " + what);
      }
      Thread.sleep(50);
    }
  }
}
