package dev.clipsearch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipsearch.testing.MilvusStandalone;
import dev.clipsearch.testing.StoreTarget;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * {@link IngestCrashIT} against the run's Milvus standalone: the SIGTERM test as it is, and instead of killing a Lite
 * child, the server itself is killed (-9) under search load (a served clip-search) and ingest load (a clip-search
 * ingest), then restarted. While it is down searches fail fast with 503 and a reason; the served instance recovers by
 * itself once the server is back; a re-run of the interrupted ingest leaves every image exactly once.
 */
class IngestCrashServerIT extends IngestCrashIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Override
  StoreTarget target() {
    return StoreTarget.STANDALONE;
  }

  @Override
  void killingMilvusLiteMidIngestThenReRunningStoresEveryImageExactlyOnce() {
    // Lite only: the server version is the test below
  }

  /** One search's outcome: when it ended (ns since the kill; negative before), how long it took, status, body. */
  private record Call(long endNanos, long tookMs, int status, String body) {}

  @Test
  void killingTheServerUnderSearchAndIngestLoadFailsFastRecoversAndAReRunStoresEveryImageOnce() throws Exception {
    Path data = work.resolve("fault");
    List<String> serveArgs = new ArrayList<>(List.of("serve", "--port", "0", "--model",
        dev.clipsearch.testing.SharedData.tinyClipModel().toString(), "--data-dir", work.resolve("serve").toString()));
    serveArgs.addAll(target().cliArgs(null, "fault"));
    Process server = JarProcess.builder(work, serveArgs.toArray(String[]::new)).redirectErrorStream(true).start();
    ExecutorService load = Executors.newFixedThreadPool(3);
    AtomicBoolean stop = new AtomicBoolean();
    ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
    long[] killedAt = {Long.MAX_VALUE};
    try {
      String url = JarProcess.awaitUrl(server);
      for (int t = 0; t < 3; t++) {
        load.submit(() -> {
          while (!stop.get()) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = post(url + "run/search", "{\"data\":[\"a photo of a dog\",5]}");
            long end = System.nanoTime();
            calls.add(new Call(end - killedAt[0], (end - t0) / 1_000_000, r == null ? 0 : r.statusCode(),
                r == null ? "" : r.body()));
            sleepMs(100);
          }
          return null;
        });
      }
      Process ingest = startAndWatch(data, work.resolve("fault.json"), 300, jvm -> {
        try {
          MilvusStandalone.shared().kill9();
          killedAt[0] = System.nanoTime();
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      });
      assertTrue(ingest.waitFor(120, TimeUnit.SECONDS), "ingest did not give up after the server died");
      assertNotEquals(0, ingest.exitValue(), "the ingest whose server was killed must fail");
      // Searches meanwhile: those in flight at the kill wait out their 10 s deadline, the rest must fail at once.
      // Keep the server down until at least 10 searches have ended more than 2 s after the kill.
      long waitFrom = System.nanoTime();
      while (calls.stream().filter(c -> c.endNanos() > 2_000_000_000L).count() < 10
          && System.nanoTime() - waitFrom < 60_000_000_000L) {
        sleepMs(200);
      }
      HttpResponse<String> ready = get(url + "readyz");
      assertEquals(503, ready.statusCode(), ready.body());
      assertTrue(ready.body().contains("unreachable"), ready.body());

      long restartedAt = System.nanoTime();
      MilvusStandalone.shared().restart();
      long up = System.nanoTime();
      HttpResponse<String> again;
      do {
        sleepMs(250);
        again = post(url + "run/search", "{\"data\":[\"a photo of a dog\",5]}");
      } while ((again == null || again.statusCode() != 200) && System.nanoTime() - up < 120_000_000_000L);
      long recoveredAt = System.nanoTime();
      stop.set(true);
      assertEquals(200, again.statusCode(), again.body());
      assertEquals(200, get(url + "readyz").statusCode(), "ready again without restarting clip-search");

      List<Call> down = calls.stream().filter(c -> c.endNanos() > 2_000_000_000L
          && c.endNanos() < restartedAt - killedAt[0]).toList();
      assertTrue(down.size() >= 5, "searches ran while the server was down: " + down.size());
      for (Call c : down) {
        assertEquals(503, c.status(), c.body());
        assertTrue(c.body().contains("unavailable"), c.body());
      }
      long[] tookMs = down.stream().mapToLong(Call::tookMs).sorted().toArray();
      assertTrue(tookMs[tookMs.length / 2] < 500, "503s come fast; median " + tookMs[tookMs.length / 2] + " ms");
      System.out.printf("[measure] server killed: %d searches while down, all 503, median %d ms, max %d ms; "
          + "server restarted in %d ms; searching again %d ms after it was up%n", down.size(),
          tookMs[tookMs.length / 2], tookMs[tookMs.length - 1], (up - restartedAt) / 1_000_000,
          (recoveredAt - up) / 1_000_000);
    } finally {
      stop.set(true);
      load.shutdownNow();
      server.destroy();
      server.waitFor(60, TimeUnit.SECONDS);
    }
    JsonNode rerun = rerun(data, 3);
    assertTrue(rerun.get("skipped").asInt() >= 256, "rows written before the kill survive it: " + rerun);
    assertEquals(IMAGES, rerun.get("inserted").asInt() + rerun.get("skipped").asInt(), rerun.toString());
    assertEveryImageExactlyOnce(data);
  }

  private static HttpResponse<String> post(String url, String json) {
    return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  private static HttpResponse<String> get(String url) {
    return send(HttpRequest.newBuilder(URI.create(url)));
  }

  private static HttpResponse<String> send(HttpRequest.Builder b) {
    try {
      return HTTP.send(b.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      return null; // counted as status 0: the test asserts statuses
    }
  }

  private static void sleepMs(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
