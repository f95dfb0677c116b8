package dev.clipsearch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server never drops a kept-alive connection without answering, under load, seen through raw sockets so that no
 * HTTP client library's own connection pool stands between the test and the server (GradioLoadIT goes through JDK
 * 17's HttpClient, whose pool has races of its own: see {@code testing/SseBodies}). Each client owns one socket and
 * loops: a join whose body is written after its headers (the asynchronous body read of WholeBodyFilter), then its
 * queue stream read to the end. Every sixth stream the client hangs up as soon as close_stream arrives and connects
 * again, as a client that stops reading does.
 */
class KeepAliveLoadIT {
  static final int CLIENTS = 32;

  @TempDir Path tmp;

  @Test
  void keptAliveConnectionsAreAlwaysAnsweredUnderLoadWithHangUpsAmongThem() throws Exception {
    WebServer server = LoadDriver.fakeServer(tmp, Duration.ofSeconds(1));
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    AtomicLong joins = new AtomicLong();
    AtomicLong connections = new AtomicLong();
    List<String> lost = Collections.synchronizedList(new ArrayList<>());
    List<Thread> clients = new ArrayList<>();
    try {
      for (int c = 0; c < CLIENTS; c++) {
        int n = c;
        Thread t = new Thread(() -> {
          try {
            client(server.port(), n, deadline, joins, connections);
          } catch (IOException | RuntimeException e) {
            lost.add("client " + n + ": " + e);
          }
        }, "keepalive-client-" + n);
        t.start();
        clients.add(t);
      }
      for (Thread t : clients) {
        t.join(60_000);
      }
    } finally {
      server.stop();
    }
    System.out.println("KeepAliveLoadIT: " + joins + " joins over " + connections + " connections, lost " + lost);
    assertEquals(List.of(), lost, "requests on a kept-alive connection the server did not answer");
    assertTrue(joins.get() >= CLIENTS * 6L, "each client went round several times: " + joins);
    assertTrue(connections.get() > CLIENTS, "some clients hung up and came back: " + connections);
  }

  private static void client(int port, int n, long deadline, AtomicLong joins, AtomicLong connections)
      throws IOException {
    String session = UUID.randomUUID().toString();
    for (int i = 0; System.nanoTime() < deadline; ) {
      try (RawClient socket = new RawClient("127.0.0.1", port)) {
        connections.incrementAndGet();
        for (int onThis = 0; System.nanoTime() < deadline; onThis++) {
          i++;
          String body = "{\"data\":[\"query " + n + " " + i + "\"," + (1 + i % 3) + "],\"fn_index\":0,"
              + "\"session_hash\":\"" + session + "\"}";
          socket.send(RawClient.head("POST", "/gradio_api/queue/join", "application/json",
              body.getBytes(StandardCharsets.UTF_8).length));
          socket.send(body);
          String head = socket.readHead(30_000);
          check(head.startsWith("HTTP/1.1 200"), "join #" + onThis + " on its connection: " + head);
          check(socket.readBody(head) != null, "join #" + onThis + ": body cut off");
          joins.incrementAndGet();
          socket.send(RawClient.get("/gradio_api/queue/data?session_hash=" + session));
          head = socket.readHead(30_000);
          check(head.startsWith("HTTP/1.1 200"), "stream after join #" + onThis + ": " + head);
          boolean hangUp = i % 6 == 0;
          String events = socket.readChunks(hangUp ? "close_stream" : null);
          check(events != null && events.contains("process_completed") && events.contains("close_stream"),
              "stream after join #" + onThis + ": " + events);
          check(!head.toLowerCase().contains("connection: close"), "the server asked to close: " + head);
          if (hangUp) {
            break;
          }
        }
      }
    }
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException(what);
    }
  }
}
