package dev.clipsearch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 64 concurrent gradio_client-like clients, each with its heartbeat stream open and searching through join + queue
 * stream, for 10 s against the server over the fakes. The long, reported version is bench.GradioLoadBench.
 */
class GradioLoadIT {
  static final int CLIENTS = 64;

  @TempDir Path tmp;

  @Test
  void sixtyFourClientsWithOpenStreamsAreAllAnsweredWithoutStarvingHttpThreads() throws Exception {
    // A 1 s heartbeat so every client sees several ALIVE frames within the run.
    WebServer server = LoadDriver.fakeServer(tmp, Duration.ofSeconds(1));
    LoadDriver.Result r;
    try {
      r = LoadDriver.run("http://127.0.0.1:" + server.port(), CLIENTS, Duration.ofSeconds(10));
    } finally {
      server.stop();
    }
    System.out.println("GradioLoadIT: " + r.summary());
    assertEquals(0, r.failed(), "failures: " + r.errors());
    assertEquals(r.joins(), r.completed(), "every search answered");
    assertTrue(r.completed() >= CLIENTS, "each client completed searches: " + r.completed());
    assertEquals(0, r.heartbeatsMissing(), "every client's heartbeat stream delivered ALIVE");
    // Heartbeats share one thread; a queue stream holds a bounded-pool thread only while it is open (≤ 1 per client).
    assertEquals(1, r.peakHeartbeatThreads(), "heartbeat streams must not get a thread each");
    assertTrue(r.peakStreamThreads() <= CLIENTS, "stream threads " + r.peakStreamThreads());
    assertTrue(r.peakStreamThreads() < WebLimits.MAX_STREAMS, "the bounded stream pool sufficed");
    // 128 long-lived connections must leave Jetty's request threads free for short requests.
    assertTrue(r.probeMaxMillis() < 3000, "GET /config waited " + r.probeMaxMillis() + " ms under load");
  }
}
