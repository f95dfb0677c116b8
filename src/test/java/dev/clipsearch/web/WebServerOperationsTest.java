package dev.clipsearch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipsearch.batching.BatchKernel;
import dev.clipsearch.batching.BatchPolicy;
import dev.clipsearch.batching.Batcher;
import dev.clipsearch.ingest.IngestProgress;
import dev.clipsearch.store.StoreRestartingException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /healthz, /readyz and /metrics over the fakes; the store checks are switched between healthy, failing and hung. */
class WebServerOperationsTest {
  @TempDir Path tmp;
  TestApp app;
  final Metrics metrics = new Metrics();
  /** What the "store" readiness check does: null = answer, otherwise throw it. */
  final AtomicReference<RuntimeException> storeProblem = new AtomicReference<>();
  final CountDownLatch hang = new CountDownLatch(1);
  volatile boolean hung;

  @BeforeEach
  void start() throws Exception {
    Map<String, Callable<?>> checks = new LinkedHashMap<>();
    checks.put("model", () -> "loaded");
    checks.put("store", () -> {
      if (hung) {
        hang.await();
      }
      if (storeProblem.get() != null) {
        throw storeProblem.get();
      }
      return null;
    });
    app = new TestApp(tmp, Limits.defaults(), s -> new WebOps(checks, ApiToken.none(), metrics, java.util.Set.of()));
  }

  @AfterEach
  void stop() {
    hang.countDown();
    app.close();
  }

  @Test
  void readyWhenEveryCheckPasses() throws Exception {
    HttpResponse<String> r = app.get("/readyz");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("{\"status\":\"ready\",\"checks\":{\"model\":\"ok\",\"store\":\"ok\"}}", r.body());
  }

  @Test
  void aBackgroundIngestKeepsTheServerReadyAndReportsItsProgress() throws Exception {
    app.close();
    AtomicReference<IngestProgress> progress = new AtomicReference<>(
        new IngestProgress(IngestProgress.State.RUNNING, "/photos", 250, 1000, 2, 10.0, ""));
    app = new TestApp(tmp.resolve("second"), Limits.defaults(), s -> new WebOps(Map.of("model", () -> "loaded"),
        ApiToken.none(), metrics, java.util.Set.of(), () -> java.util.Optional.of(progress.get())));
    HttpResponse<String> r = app.get("/readyz");
    assertEquals(200, r.statusCode(), "search answers from what is stored so far: " + r.body());
    JsonNode ingest = Fixtures.M.readTree(r.body()).get("ingest");
    assertEquals("running", ingest.get("state").asText());
    assertEquals(250, ingest.get("done").asInt());
    assertEquals(1000, ingest.get("total").asInt());
    assertEquals(25.0, ingest.get("images_per_second").asDouble(), 1e-9);
    assertEquals(30, ingest.get("eta_seconds").asLong(), "750 images left at 25 img/s");
    JsonNode page = Fixtures.M.readTree(app.get("/gradio_api/collection").body());
    assertEquals(ingest, page.get("ingest"), "the page reads the same progress");
    progress.set(new IngestProgress(IngestProgress.State.DONE, "/photos", 1000, 1000, 2, 40.0, ""));
    JsonNode done = Fixtures.M.readTree(app.get("/readyz").body()).get("ingest");
    assertEquals("done", done.get("state").asText());
    assertEquals(0, done.get("eta_seconds").asLong());
  }

  @Test
  void withoutABackgroundIngestThereIsNoIngestMember() throws Exception {
    assertTrue(Fixtures.M.readTree(app.get("/gradio_api/collection").body()).get("ingest").isNull());
    assertTrue(Fixtures.M.readTree(app.get("/readyz").body()).get("ingest") == null);
  }

  @Test
  void notReadyWithTheReasonWhileTheStoreRestartsButStillAlive() throws Exception {
    storeProblem.set(new StoreRestartingException("cannot answer a ping: the vector store is restarting"));
    HttpResponse<String> r = app.get("/readyz");
    assertEquals(503, r.statusCode());
    JsonNode j = Fixtures.M.readTree(r.body());
    assertEquals("not ready", j.get("status").asText());
    assertEquals("ok", j.get("checks").get("model").asText());
    assertTrue(j.get("checks").get("store").asText().contains("restarting"), r.body());
    assertEquals(200, app.get("/healthz").statusCode(), "liveness ignores dependencies");
    assertEquals(200, app.get("/health").statusCode(), "the old route stays");
  }

  @Test
  void aHungCheckIsNotReadyWithinAboutASecond() throws Exception {
    hung = true;
    for (int i = 0; i < 2; i++) { // the second probe must not wait on (or pile up behind) the first, still hung
      long t0 = System.nanoTime();
      HttpResponse<String> r = app.get("/readyz");
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertEquals(503, r.statusCode());
      assertTrue(r.body().contains("did not answer within 1000 ms"), r.body());
      assertTrue(ms < 5000, "answered on the check's 1 s timeout, not the hung check's: " + ms + " ms");
    }
  }

  @Test
  void aRestartingStoreIsA503WithAClearMessage() throws Exception {
    HttpResponse<String> run = app.post("/run/search", "{\"data\":[\"store restarting\",1]}");
    assertEquals(503, run.statusCode());
    assertEquals("{\"error\":\"" + ErrorMapping.STORE_RESTARTING + "\"}", run.body());
    assertTrue(!run.body().contains("pid 42"), "internals stay in the log");
  }

  @Test
  void metricsCountRequestsByRouteTemplateStatusAndFailedEvents() throws Exception {
    app.post("/run/search", "{\"data\":[\"a dog\",1]}");
    app.post("/run/search", "{\"data\":[\"store down\",1]}");
    String img = app.search.images.get(0).toString();
    app.get("/gradio_api/file=" + img);
    app.get("/gradio_api/file=/etc/passwd");
    metrics.called("search", 3_000_000, true);
    metrics.called("search", 2_000_000_000L, false);
    try (Batcher<Integer, Integer> text = new Batcher<>("text", new BatchPolicy(4, 0), 16, 1,
        BatchKernel.of(1, in -> in), metrics.registry())) {
      for (int i = 0; i < 10; i++) {
        text.submit(i).join();
      }
    }

    HttpResponse<String> r = app.get("/metrics");
    assertEquals(200, r.statusCode());
    assertEquals(Metrics.CONTENT_TYPE, r.headers().firstValue("content-type").orElse(""));
    String m = r.body();
    assertTrue(m.contains("clipsearch_http_requests_total{method=\"POST\",route=\"/run/{api}\",status=\"200\"} 1.0\n"), m);
    assertTrue(m.contains("clipsearch_http_requests_total{method=\"POST\",route=\"/run/{api}\",status=\"503\"} 1.0\n"), m);
    // one series for every file, whatever its path: raw paths would make unbounded label values
    assertTrue(m.contains("route=\"/gradio_api/file=<path>\",status=\"200\"} 1.0\n"), m);
    assertTrue(m.contains("route=\"/gradio_api/file=<path>\",status=\"403\"} 1.0\n"), m);
    assertTrue(!m.contains("passwd"), m);
    assertTrue(m.contains("clipsearch_gradio_event_errors_total{status=\"503\"} 1.0\n"), m);
    assertTrue(m.contains("clipsearch_gradio_queue{state=\"queued\"} 0.0\n"), m);
    assertTrue(m.contains("clipsearch_store_call_duration_seconds_bucket{operation=\"search\",le=\"0.005\"} 1\n"), m);
    assertTrue(m.contains("clipsearch_store_call_duration_seconds_bucket{operation=\"search\",le=\"+Inf\"} 2\n"), m);
    assertTrue(m.contains("clipsearch_store_call_duration_seconds_sum{operation=\"search\"} 2.003\n"), m);
    assertTrue(m.contains("clipsearch_store_call_failures_total{operation=\"search\"} 1.0\n"), m);
    assertTrue(m.contains("clipsearch_batch_items_total{tower=\"text\"} 10.0\n"), m);
    assertTrue(m.contains("clipsearch_batch_queue_wait_seconds_count{tower=\"text\"} 10\n"), m);
    assertTrue(m.contains("clipsearch_batch_queue_wait_seconds_bucket{tower=\"text\",le=\"+Inf\"} 10\n"), m);
    assertTrue(m.contains("clipsearch_batch_compute_seconds_count{tower=\"text\"}"), m);
    assertTrue(m.contains("clipsearch_batch_queued{priority=\"interactive\",tower=\"text\"} 0.0\n"), m);
    assertTrue(m.contains("clipsearch_batch_queued{priority=\"bulk\",tower=\"text\"} 0.0\n"), m);
    // what was shed and why, and the state a months-long run is watched by: connections, caches, memory, threads
    assertTrue(m.contains("clipsearch_shed_total{reason=\"connections_per_client\"} 0.0\n"), m);
    assertTrue(m.contains("clipsearch_shed_total{reason=\"queue_full\"} 0.0\n"), m);
    assertTrue(m.matches("(?s).*\nclipsearch_http_connections [1-9][0-9]*\\.0\n.*"), m);
    assertTrue(m.contains("clipsearch_disk_cache_bytes{cache=\"uploads\"}"), m);
    assertTrue(m.contains("clipsearch_disk_cache_files{cache=\"thumbnails\"}"), m);
    assertTrue(m.contains("clipsearch_disk_cache_bytes{cache=\"query_images\"}"), m);
    assertTrue(m.contains("jvm_memory_used_bytes{area=\"heap\""), m);
    assertTrue(m.contains("jvm_threads_live_threads "), m);
    assertTrue(m.contains("process_files_open_files "), m);
    assertTrue(m.matches("(?s).*\nprocess_resident_memory_bytes [1-9].*"), m);
    assertWellFormed(m);
  }

  @Test
  void metricsShowTheEngineCpuAndPrecisionAsOneInfoSeries() throws Exception {
    metrics.engineInfo(java.util.Map.of("cpu_model", "Intel(R) Xeon(R) \"X\"", "amx_bf16", "1", "precision", "bf16"));
    String m = app.get("/metrics").body();
    assertTrue(m.contains("clipsearch_engine_info{amx_bf16=\"1\",cpu_model=\"Intel(R) Xeon(R) \\\"X\\\"\","
        + "precision=\"bf16\"} 1\n"), m);
    assertWellFormed(m);
  }

  /** Every sample line belongs to a family declared by # TYPE above it, and bucket counts never decrease. */
  private static void assertWellFormed(String exposition) {
    java.util.Set<String> declared = new java.util.HashSet<>();
    long lastBucket = -1;
    String lastSeries = "";
    for (String line : exposition.split("\n")) {
      if (line.startsWith("# TYPE ")) {
        declared.add(line.split(" ")[2]);
        continue;
      }
      if (line.startsWith("#")) {
        continue;
      }
      assertTrue(line.matches("[a-z_]+(\\{.*\\})? ([-0-9.eE]+|\\+Inf)"), line);
      String name = line.replaceAll("[{ ].*", "");
      assertTrue(declared.contains(name.replaceAll("_(bucket|sum|count)$", "")) || declared.contains(name), line);
      if (name.endsWith("_bucket")) {
        String series = line.replaceAll(",?le=\"[^\"]*\"", "").replaceAll(" [^ ]*$", "");
        long v = Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
        assertTrue(!series.equals(lastSeries) || v >= lastBucket, "buckets are cumulative: " + line);
        lastSeries = series;
        lastBucket = v;
      }
    }
  }

  @Test
  void histogramBucketsAreCumulativeWithInclusiveBounds() {
    Metrics fresh = new Metrics();
    fresh.called("insert", 1_000_000, true); // exactly 1 ms: "le" is inclusive
    fresh.called("insert", 40_000_000, true);
    fresh.called("insert", 60_000_000_000L, true);
    String s = fresh.scrape();
    String series = "clipsearch_store_call_duration_seconds_bucket{operation=\"insert\",le=";
    assertTrue(s.contains(series + "\"0.001\"} 1\n"), s);
    assertTrue(s.contains(series + "\"0.025\"} 1\n"), s);
    assertTrue(s.contains(series + "\"0.05\"} 2\n"), s);
    assertTrue(s.contains(series + "\"30.0\"} 2\n"), s);
    assertTrue(s.contains(series + "\"+Inf\"} 3\n"), s);
    assertTrue(s.contains("clipsearch_store_call_duration_seconds_count{operation=\"insert\"} 3\n"), s);
    assertWellFormed(s);
  }
}
