package dev.clipsearch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connection-level bounds over the fakes (the real server's version is HostileTrafficIT): half-sent requests hold no
 * request thread, oversized bodies are refused on their Content-Length, slow headers and bodies are cut off, and the
 * per-address and per-session caps refuse with a clear 429 while other clients go on.
 */
class ConnectionLimitsTest {
  @TempDir Path tmp;
  private final List<RawClient> sockets = new ArrayList<>();
  private TestApp app;

  private TestApp start(int perClient, int streamsPerClient, int streamsPerSession) throws Exception {
    return start(perClient, streamsPerClient, streamsPerSession, Duration.ofSeconds(1));
  }

  private TestApp start(int perClient, int streamsPerClient, int streamsPerSession, Duration bodyTimeout)
      throws Exception {
    ConnectionLimits c = new ConnectionLimits(10_000, perClient, Duration.ofSeconds(30), Duration.ofSeconds(1),
        bodyTimeout, streamsPerClient, streamsPerSession);
    WebLimits d = Limits.withHeartbeat(Duration.ofSeconds(1));
    app = new TestApp(tmp, new WebLimits(d.queue(), d.maxStreams(), d.heartbeat(), c, d.uploads()));
    return app;
  }

  private RawClient open(String from) throws Exception {
    RawClient c = new RawClient(from, app.server.port());
    sockets.add(c);
    return c;
  }

  @AfterEach
  void close() throws Exception {
    for (RawClient c : sockets) {
      c.close();
    }
    if (app != null) {
      app.close();
    }
  }

  @Test
  void halfSentBodiesHoldNoRequestThreadSoSearchesAreStillAnswered() throws Exception {
    start(10_000, 64, 4, Duration.ofSeconds(60));
    // More than Jetty's 250 request threads: each would have held one, blocked reading its body.
    for (int i = 0; i < 300; i++) {
      open("127.0.0.1").send(RawClient.head("POST", "/gradio_api/queue/join", "application/json", 1000) + "{\"data\":");
    }
    for (int i = 0; i < 20; i++) {
      long t0 = System.nanoTime();
      HttpResponse<String> r = app.post("/gradio_api/run/search", "{\"data\":[\"a white dog\",1]}");
      assertEquals(200, r.statusCode(), r.body());
      assertTrue((System.nanoTime() - t0) / 1_000_000 < 5_000, "a search waited behind half-sent requests");
    }
    assertFalse(sockets.get(0).closedByServer(100), "the half-sent requests are still open, waiting for their bodies");
  }

  @Test
  void aBodyAnnouncedOverTheLimitIsRefusedBeforeItArrives() throws Exception {
    start(10_000, 64, 4);
    long t0 = System.nanoTime();
    RawClient upload = open("127.0.0.1").send(RawClient.head("POST", "/gradio_api/upload",
        "multipart/form-data; boundary=x", 10L << 30) + "--x\r\n");
    assertEquals(413, upload.readStatus(5_000));
    // Well under the 10 s the server would wait for a body (3 s leaves room for a loaded machine's first request).
    assertTrue((System.nanoTime() - t0) / 1_000_000 < 3_000, "refused at once, without waiting for the body");
    RawClient json = open("127.0.0.1").send(RawClient.head("POST", "/gradio_api/queue/join", "application/json",
        2_000_000));
    assertEquals(413, json.readStatus(5_000));
    assertTrue(app.get("/metrics").body().contains("clipsearch_shed_total{reason=\"body_too_large\"} 2.0"));
  }

  @Test
  void aBodyThatDoesNotArriveInTimeIs408AndTheConnectionCloses() throws Exception {
    start(10_000, 64, 4);
    RawClient slow = open("127.0.0.1").send(RawClient.head("POST", "/gradio_api/queue/join", "application/json", 100)
        + "{\"da");
    assertEquals(408, slow.readStatus(5_000));
    assertTrue(slow.closedByServer(3_000));
    assertTrue(app.get("/metrics").body().contains("clipsearch_shed_total{reason=\"body_timeout\"} 1.0"));
  }

  @Test
  void headersTrickledInToDodgeTheIdleTimeoutAreCutOffAtTheHeaderTimeout() throws Exception {
    start(10_000, 64, 4);
    RawClient slowloris = open("127.0.0.1").send("GET /config HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    long t0 = System.nanoTime();
    boolean closed = false;
    while (!closed && (System.nanoTime() - t0) / 1_000_000 < 10_000) {
      try {
        slowloris.send("X-Drip: 1\r\n"); // a byte now and then: the idle timeout never fires
      } catch (java.io.IOException cut) {
        closed = true;
        break;
      }
      closed = slowloris.closedByServer(300);
    }
    assertTrue(closed, "the connection was closed");
    long ms = (System.nanoTime() - t0) / 1_000_000;
    // The 1 s header timeout counts from the first 500 ms sweep that sees the connection, and the close comes at a
    // later sweep: about 2 s, well under the idle timeout the drip keeps resetting.
    assertTrue(ms < 4_500, "closed by the header timeout: " + ms + " ms");
  }

  @Test
  void aClientOverItsConnectionCapGets429WhileOthersAreServed() throws Exception {
    start(20, 64, 4);
    for (int i = 0; i < 20; i++) { // each answered once, so the server has surely counted them all
      assertEquals(200, open("127.0.0.2").send(RawClient.get("/healthz")).readStatus(5_000));
    }
    RawClient over = open("127.0.0.2").send(RawClient.get("/config"));
    String head = over.readHead(5_000);
    assertTrue(head.startsWith("HTTP/1.1 429"), head);
    assertTrue(over.readToEnd(5_000).contains("Too many connections from your address (the limit is 20)"));
    assertEquals(200, app.get("/config").statusCode(), "another address is not affected");
    assertTrue(app.get("/metrics").body().contains("clipsearch_shed_total{reason=\"connections_per_client\"} 1.0"));
    for (RawClient c : sockets) {
      c.close();
    }
    sockets.clear();
    assertEquals(200, statusOncePlaceIsFreed("127.0.0.2", RawClient.get("/config")), "back under the cap");
  }

  @Test
  void streamsAreCappedPerSessionAndPerClient() throws Exception {
    start(10_000, 3, 2);
    assertEquals(200, open("127.0.0.2").send(RawClient.get("/gradio_api/heartbeat/s1")).readStatus(5_000));
    assertEquals(200, open("127.0.0.2").send(RawClient.get("/gradio_api/heartbeat/s1")).readStatus(5_000));
    RawClient third = open("127.0.0.2").send(RawClient.get("/gradio_api/heartbeat/s1"));
    assertEquals(429, third.readStatus(5_000), "a third stream of one session");
    assertEquals(200, open("127.0.0.2").send(RawClient.get("/gradio_api/heartbeat/s2")).readStatus(5_000));
    assertEquals(429, open("127.0.0.2").send(RawClient.get("/gradio_api/heartbeat/s3")).readStatus(5_000),
        "a fourth stream from one address");
    assertEquals(200, open("127.0.0.1").send(RawClient.get("/gradio_api/heartbeat/s4")).readStatus(5_000),
        "another address");
    sockets.get(0).close();
    // A beat to the closed stream fails at the latest on the second beat after the close (the first may still be
    // accepted by the kernel and answered with a reset), and that gives its place back: within 2 s at a 1 s beat.
    assertEquals(200, statusOncePlaceIsFreed("127.0.0.2", RawClient.get("/gradio_api/heartbeat/s1")),
        "the closed stream's place is given back");
  }

  /**
   * Sends {@code request} from {@code from} until it is answered 200, for up to 5 s; returns the last status. The
   * server gives a place back when it handles a close, a moment after the client's, so one try would be a race.
   */
  private int statusOncePlaceIsFreed(String from, String request) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (true) {
      RawClient attempt = open(from).send(request);
      int status = attempt.readStatus(5_000);
      if (status == 200 || System.nanoTime() >= deadline) {
        return status;
      }
      attempt.close();
      Thread.sleep(100);
    }
  }
}
