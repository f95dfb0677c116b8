package dev.clipsearch.gradio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.clipsearch.search.Query;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Session close semantics (sse_v3): close_stream only once nothing is pending, concurrent events on one stream,
 * queue bounds, cancel, and disconnect cleanup. Endpoint functions block on latches so each interleaving is forced.
 */
class SessionTest {
  final Map<String, CountDownLatch> gates = Collections.synchronizedMap(new java.util.HashMap<>());
  final EndpointFn echo = (in, root) -> {
    String q = in.get(0).asText();
    CountDownLatch g = gates.get(q);
    if (g != null && !g.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("gate " + q + " never opened");
    if (q.equals("boom")) throw new IllegalArgumentException("bad query");
    return List.of(q.toUpperCase());
  };
  EventQueue queue = queue(new QueueLimits(2, 2, 4, 4, 100, 8, Duration.ofMinutes(5)));
  final SessionStreamer streamer = new SessionStreamer(queue, Duration.ofMillis(50));

  EventQueue queue(QueueLimits limits) {
    return new EventQueue(SearchAppBlocks.create(Query.MAX_K, Query.DEFAULT_K), Map.of(0, echo, 1, echo, 2, echo, 3, echo), java.util.Set.of(), limits, Throwable::getMessage);
  }

  @AfterEach
  void close() {
    gates.values().forEach(CountDownLatch::countDown);
    queue.close();
  }

  /** Collects frames as parsed JSON; can be told to fail like a vanished client. */
  static final class Sink implements SseSink {
    final List<JsonNode> frames = Collections.synchronizedList(new ArrayList<>());
    volatile boolean gone;

    @Override
    public void send(byte[] frame) throws IOException {
      if (gone) throw new IOException("client gone");
      String s = new String(frame, StandardCharsets.UTF_8);
      assertTrue(s.startsWith("data: ") && s.endsWith("\n\n"));
      frames.add(GradioJson.MAPPER.readTree(s.substring(6)));
    }

    List<String> msgs() {
      synchronized (frames) {
        return frames.stream().map(f -> f.get("msg").asText() + (f.get("event_id").isNull() ? "" : ":" + f.get("event_id").asText())).toList();
      }
    }
  }

  String join(String session, String q) {
    return queue.join(session, 0, List.of(TextNode.valueOf(q)), "http://h", "client");
  }

  CompletableFuture<Void> stream(String session, Sink sink) {
    return CompletableFuture.runAsync(() -> {
      try {
        streamer.streamQueue(session, sink);
      } catch (IOException | InterruptedException e) {
        throw new RuntimeException(e);
      }
    });
  }

  @Test
  void aJoinIntoAHeldSessionsOpenStreamIsCompletedNoSoonerThanTheHoldAfterJoin() throws Exception {
    gates.put("slow", new CountDownLatch(1));
    String slow = queue.join("held", 0, List.of(TextNode.valueOf("slow")), "http://h", "client", Duration.ofMillis(300));
    Sink sink = new Sink();
    CompletableFuture<Void> done = stream("held", sink);
    waitFor(() -> sink.msgs().contains("process_starts:" + slow)); // the stream is open and reading
    long t0 = System.nanoTime();
    String id = queue.join("held", 0, List.of(TextNode.valueOf("dog")), "http://h", "client", Duration.ofMillis(300));
    waitFor(() -> sink.msgs().contains("process_completed:" + id));
    long tookMs = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(tookMs >= 300, "completion written after " + tookMs + " ms");
    gates.get("slow").countDown();
    done.get(5, TimeUnit.SECONDS);
  }

  @Test
  void aLoneJoinIsNotHeldEvenInAHeldSession() throws Exception {
    String id = queue.join("held", 0, List.of(TextNode.valueOf("dog")), "http://h", "client", Duration.ofSeconds(5));
    long t0 = System.nanoTime();
    Sink sink = new Sink();
    stream("held", sink).get(10, TimeUnit.SECONDS);
    long tookMs = (System.nanoTime() - t0) / 1_000_000;
    assertEquals("process_completed:" + id, sink.msgs().get(2));
    assertTrue(tookMs < 3000, "one call at a time pays no hold: " + tookMs + " ms");
  }

  @Test
  void unheldSessionIsNotDelayedByAnotherSessionsHold() throws Exception {
    gates.put("slow", new CountDownLatch(1));
    String slow = queue.join("held", 0, List.of(TextNode.valueOf("slow")), "http://h", "client", Duration.ofSeconds(5));
    Sink heldSink = new Sink();
    stream("held", heldSink);
    waitFor(() -> heldSink.msgs().contains("process_starts:" + slow));
    String held = queue.join("held", 0, List.of(TextNode.valueOf("dog")), "http://h", "client", Duration.ofSeconds(5));
    String id = join("quick", "cat");
    long t0 = System.nanoTime();
    Sink sink = new Sink();
    stream("quick", sink).get(10, TimeUnit.SECONDS);
    long tookMs = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(tookMs < 3000, "well before the other session's 5 s hold ends: " + tookMs + " ms");
    assertEquals("process_completed:" + id, sink.msgs().get(2));
    assertFalse(heldSink.msgs().contains("process_completed:" + held), "the other session's completion is held");
  }

  @Test
  void oneEventStreamsStartsCompletesThenCloses() throws Exception {
    String id = join("s", "dog");
    Sink sink = new Sink();
    stream("s", sink).get(5, TimeUnit.SECONDS);
    assertEquals(List.of("estimation:" + id, "process_starts:" + id, "process_completed:" + id, "close_stream"), sink.msgs());
    assertEquals("DOG", sink.frames.get(2).get("output").get("data").get(0).asText());
  }

  @Test
  void streamStaysOpenUntilTheLastConcurrentEventCompletes() throws Exception {
    gates.put("slow", new CountDownLatch(1));
    String slow = join("s", "slow");
    String fast = join("s", "fast");
    Sink sink = new Sink();
    CompletableFuture<Void> done = stream("s", sink);
    waitFor(() -> sink.msgs().contains("process_completed:" + fast));
    // Idle but pending after the fast event's completion: the stream beats instead of closing.
    waitFor(() -> sink.msgs().lastIndexOf("heartbeat") > sink.msgs().indexOf("process_completed:" + fast));
    assertFalse(done.isDone(), "closed while an event was pending: " + sink.msgs());
    gates.get("slow").countDown();
    done.get(5, TimeUnit.SECONDS);
    List<String> m = sink.msgs();
    assertEquals("close_stream", m.get(m.size() - 1));
    assertEquals(1, m.stream().filter("close_stream"::equals).count());
    assertTrue(m.indexOf("process_completed:" + slow) > m.indexOf("process_completed:" + fast));
  }

  @Test
  void aJoinDuringTheStreamKeepsItOpen() throws Exception {
    gates.put("first", new CountDownLatch(1));
    gates.put("second", new CountDownLatch(1));
    String first = join("s", "first");
    Sink sink = new Sink();
    CompletableFuture<Void> done = stream("s", sink);
    waitFor(() -> sink.msgs().contains("process_starts:" + first));
    String second = join("s", "second"); // joined before the first completes: one stream must carry both
    gates.get("first").countDown();
    waitFor(() -> sink.msgs().contains("process_completed:" + first));
    assertFalse(done.isDone());
    gates.get("second").countDown();
    done.get(5, TimeUnit.SECONDS);
    assertTrue(sink.msgs().contains("process_completed:" + second));
  }

  @Test
  void aJoinAfterCloseWaitsForTheNextStream() throws Exception {
    Sink first = new Sink();
    join("s", "a");
    stream("s", first).get(5, TimeUnit.SECONDS);
    String later = join("s", "b");
    Thread.sleep(100); // the event completes with no stream open
    Sink second = new Sink();
    stream("s", second).get(5, TimeUnit.SECONDS);
    assertEquals(List.of("estimation:" + later, "process_starts:" + later, "process_completed:" + later, "close_stream"), second.msgs());
  }

  @Test
  void failuresCompleteTheEventWithSuccessFalse() throws Exception {
    join("s", "boom");
    Sink sink = new Sink();
    stream("s", sink).get(5, TimeUnit.SECONDS);
    JsonNode done = sink.frames.get(2);
    assertFalse(done.get("success").asBoolean());
    assertEquals("bad query", done.get("output").get("error").asText());
    assertEquals("Error", done.get("title").asText());
  }

  @Test
  void unknownSessionGetsOneUnexpectedError() throws Exception {
    Sink sink = new Sink();
    stream("nobody", sink).get(5, TimeUnit.SECONDS);
    assertEquals(List.of("unexpected_error"), sink.msgs());
    assertTrue(sink.frames.get(0).get("session_not_found").asBoolean());
  }

  @Test
  void cancelCompletesTheEventAndTheStreamCloses() throws Exception {
    gates.put("hold", new CountDownLatch(1));
    String id = join("s", "hold");
    assertTrue(queue.cancel(id));
    assertFalse(queue.cancel(id), "an event finishes once");
    Sink sink = new Sink();
    stream("s", sink).get(5, TimeUnit.SECONDS);
    JsonNode last = sink.frames.get(sink.frames.size() - 2);
    assertEquals("process_completed", last.get("msg").asText());
    assertEquals(0, last.get("output").size());
    assertEquals("close_stream", sink.msgs().get(sink.msgs().size() - 1));
  }

  @Test
  void disconnectDropsTheSessionAndCancelsItsEvents() throws Exception {
    gates.put("hold", new CountDownLatch(1));
    join("s", "hold");
    join("s", "hold");
    String queued = join("s", "hold"); // two workers busy: this one waits in the queue
    Sink sink = new Sink();
    sink.gone = true;
    CompletableFuture<Void> done = stream("s", sink);
    assertThrows(Exception.class, () -> done.get(5, TimeUnit.SECONDS));
    assertTrue(queue.session("s").isEmpty(), "session forgotten");
    assertFalse(queue.cancel(queued), "its events were already cancelled");
  }

  static void waitFor(java.util.function.BooleanSupplier cond) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > end) throw new AssertionError("condition not met in 5 s");
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
