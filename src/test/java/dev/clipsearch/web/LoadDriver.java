package dev.clipsearch.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipsearch.testing.SseBodies;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many gradio_client-like clients at once against a running server: each holds its heartbeat stream open for the whole
 * run and, in a loop, joins a /search and reads its queue stream to close_stream, like gradio_client does. A probe
 * meanwhile times GET /config (would stall if HTTP threads were starved), and a sampler records the server's peak
 * thread counts (same JVM). Used by GradioLoadIT (short, asserted) and bench.GradioLoadBench (long, reported).
 */
public final class LoadDriver {
  /** What one run measured. Latency = join POST sent → process_completed read. */
  public record Result(int clients, double seconds, long joins, long completed, long failed, List<String> errors,
      long[] latenciesMicros, long heartbeatsMissing, long probeMaxMillis, int peakStreamThreads, int peakHeartbeatThreads,
      int peakJettyThreads, int peakAllThreads) {
    public double requestsPerSecond() {
      return completed / seconds;
    }

    public double percentileMillis(double p) {
      if (latenciesMicros.length == 0) return Double.NaN;
      int i = (int) Math.ceil(p / 100.0 * latenciesMicros.length) - 1;
      return latenciesMicros[Math.max(0, Math.min(i, latenciesMicros.length - 1))] / 1000.0;
    }

    public String summary() {
      return String.format(Locale.ROOT,
          "%d clients, %.1f s: %d searches joined, %d completed, %d failed; %.0f searches/s; latency p50 %.1f ms, p99 %.1f ms, max %.1f ms;"
              + " /config probe max %d ms; clients without a heartbeat frame: %d; peak server threads: %d gradio-stream, %d gradio-heartbeat,"
              + " %d Jetty, %d in the JVM",
          clients, seconds, joins, completed, failed, requestsPerSecond(), percentileMillis(50), percentileMillis(99), percentileMillis(100),
          probeMaxMillis, heartbeatsMissing, peakStreamThreads, peakHeartbeatThreads, peakJettyThreads, peakAllThreads);
    }
  }

  private final String base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).version(HttpClient.Version.HTTP_1_1).build();
  private final AtomicLong joins = new AtomicLong();
  private final AtomicLong completed = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong probeMax = new AtomicLong();
  private final AtomicInteger heartbeatsMissing = new AtomicInteger();
  private final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
  private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
  private final int[] peaks = new int[4];

  private LoadDriver(String base) {
    this.base = base;
  }

  /** A server over the fakes on a free port (the bench uses this; it lives here because the fakes are package-private). */
  public static WebServer fakeServer(Path dir, Duration heartbeat) throws IOException {
    FakeSearchService search = new FakeSearchService(dir.resolve("images"));
    return new WebServer(search, new FakeIngestService(), dir.resolve("uploads"), Limits.withHeartbeat(heartbeat),
        Limits.minimalPage(), Limits.openOps(search)).start(0, "127.0.0.1");
  }

  public static Result run(String base, int clients, Duration duration) throws InterruptedException {
    return new LoadDriver(base).go(clients, duration);
  }

  private Result go(int clients, Duration duration) throws InterruptedException {
    long t0 = System.nanoTime();
    long deadline = t0 + duration.toNanos();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      int n = i;
      threads.add(start("load-client-" + n, () -> client(n, deadline)));
    }
    Thread probe = start("load-probe", () -> probe(deadline));
    Thread sampler = start("load-sampler", () -> sample(deadline));
    for (Thread t : threads) t.join(duration.toMillis() + 60_000);
    probe.join(10_000);
    sampler.join(10_000);
    double secs = (System.nanoTime() - t0) / 1e9;
    long[] lat = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    return new Result(clients, secs, joins.get(), completed.get(), failed.get(), List.copyOf(errors), lat, heartbeatsMissing.get(),
        probeMax.get(), peaks[0], peaks[1], peaks[2], peaks[3]);
  }

  private void client(int n, long deadline) {
    String session = UUID.randomUUID().toString();
    AtomicInteger alive = new AtomicInteger();
    // The heartbeat reader stays blocked between ALIVE frames after the run; the server's stop ends it.
    start("load-heartbeat-" + n, () -> heartbeat(session, alive, deadline));
    for (int i = 0; System.nanoTime() < deadline; i++) {
      search(session, "query " + n + " " + i, 1 + (n + i) % 3);
    }
    if (alive.get() == 0) {
      heartbeatsMissing.incrementAndGet();
    }
  }

  private static Thread start(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** One gradio_client-style call: join, then the session's queue stream until close_stream. */
  private void search(String session, String query, int k) {
    long start = System.nanoTime();
    joins.incrementAndGet();
    String step = "join";
    try {
      String body = Fixtures.M.writeValueAsString(java.util.Map.of("data", List.of(query, k), "fn_index", 0, "session_hash", session));
      HttpResponse<String> join = http.send(HttpRequest.newBuilder(URI.create(base + "/gradio_api/queue/join"))
          .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
      if (join.statusCode() != 200) {
        fail("join " + join.statusCode() + " " + join.body());
        return;
      }
      step = "data";
      HttpResponse<InputStream> data = http.send(HttpRequest.newBuilder(URI.create(base + "/gradio_api/queue/data?session_hash=" + session))
          .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofInputStream());
      boolean ok = false;
      try (BufferedReader r = new BufferedReader(new InputStreamReader(data.body(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          if (!line.startsWith("data: ")) continue;
          JsonNode m = Fixtures.M.readTree(line.substring(6));
          String msg = m.get("msg").asText();
          if (msg.equals("process_completed")) {
            ok = m.get("success").asBoolean() && m.get("output").get("data").get(0).size() == k;
            latencies.add((System.nanoTime() - start) / 1000);
          } else if (msg.equals("close_stream")) {
            break;
          }
        }
        SseBodies.drain(r);
      }
      if (ok) completed.incrementAndGet();
      else fail("stream ended without a successful process_completed (" + query + ")");
    } catch (IOException e) {
      fail(step + ": " + e + " after " + (System.nanoTime() - start) / 1_000_000 + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail("interrupted");
    }
  }

  private void heartbeat(String session, AtomicInteger alive, long deadline) {
    try {
      HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(base + "/gradio_api/heartbeat/" + session)).build(),
          HttpResponse.BodyHandlers.ofInputStream());
      try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
        // Held open until the run ends, like gradio_client's heartbeat thread; then we hang up.
        for (String line; System.nanoTime() < deadline && (line = in.readLine()) != null; ) {
          if (line.equals("data: ALIVE")) alive.incrementAndGet();
        }
      }
    } catch (IOException e) {
      fail("heartbeat: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void probe(long deadline) {
    while (System.nanoTime() < deadline) {
      long t = System.nanoTime();
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/config")).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) fail("probe " + r.statusCode());
        probeMax.accumulateAndGet((System.nanoTime() - t) / 1_000_000, Math::max);
        Thread.sleep(200);
      } catch (IOException e) {
        fail("probe: " + e);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void sample(long deadline) {
    while (System.nanoTime() < deadline) {
      int stream = 0, heartbeat = 0, jetty = 0, all = 0;
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        String name = t.getName();
        all++;
        if (name.startsWith("gradio-stream-")) stream++;
        else if (name.startsWith("gradio-heartbeat")) heartbeat++;
        else if (name.startsWith("JettyServerThreadPool") || name.startsWith("qtp")) jetty++;
      }
      synchronized (peaks) {
        peaks[0] = Math.max(peaks[0], stream);
        peaks[1] = Math.max(peaks[1], heartbeat);
        peaks[2] = Math.max(peaks[2], jetty);
        peaks[3] = Math.max(peaks[3], all);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void fail(String why) {
    failed.incrementAndGet();
    if (errors.size() < 20) errors.add(why);
  }
}
