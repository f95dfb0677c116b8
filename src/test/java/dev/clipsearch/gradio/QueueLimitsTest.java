package dev.clipsearch.gradio;

import static dev.clipsearch.gradio.SessionTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.clipsearch.search.Query;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The queue's bounds: worker queue, per-session pending events, session expiry, input count. */
class QueueLimitsTest {
  final CountDownLatch hold = new CountDownLatch(1);
  final EndpointFn fn = (in, root) -> {
    if (in.get(0).asText().equals("hold") && !hold.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("held too long");
    return List.of("ok");
  };
  EventQueue queue = queue(new QueueLimits(2, 2, 4, 4, 100, 8, Duration.ofMinutes(5)));

  EventQueue queue(QueueLimits limits) {
    return new EventQueue(SearchAppBlocks.create(Query.MAX_K, Query.DEFAULT_K), Map.of(0, fn, 1, fn, 2, fn, 3, fn), java.util.Set.of(), limits, Throwable::getMessage);
  }

  String join(String session, String q) {
    return queue.join(session, 0, List.of(TextNode.valueOf(q)), "http://h", "client");
  }

  @AfterEach
  void close() {
    hold.countDown();
    queue.close();
  }

  @Test
  void fullQueueIsRefusedAtJoinAndLeavesNothingPending() {
    queue.close();
    queue = queue(new QueueLimits(1, 1, 1, 1, 100, 8, Duration.ofMinutes(5)));
        join("a", "hold"); // running
    waitFor(() -> queue.runningCount() == 1);
    join("b", "hold"); // queued
    GradioException e = assertThrows(GradioException.class, () -> join("c", "x"));
    assertEquals(GradioException.Kind.QUEUE_FULL, e.kind());
    assertTrue(e.getMessage().startsWith("Queue is full. Max size is 1"), e.getMessage());
    assertEquals(0, queue.session("c").orElseThrow().pendingCount());
  }

  @Test
  void closeDrainsRunningAndQueuedEventsAndRefusesNewOnes() throws Exception {
    queue.close();
    java.util.concurrent.atomic.AtomicInteger finished = new java.util.concurrent.atomic.AtomicInteger();
    EndpointFn counting = (in, root) -> {
      fn.apply(in, root);
      finished.incrementAndGet();
      return List.of("ok");
    };
    queue = new EventQueue(SearchAppBlocks.create(Query.MAX_K, Query.DEFAULT_K), Map.of(0, counting, 1, counting, 2, counting, 3, counting),
        java.util.Set.of(), new QueueLimits(1, 1, 4, 4, 100, 8, Duration.ofMinutes(5)), Throwable::getMessage);
    join("a", "hold"); // running
    waitFor(() -> queue.runningCount() == 1);
    join("b", "x"); // queued behind it
    Thread closer = new Thread(() -> queue.close(Duration.ofSeconds(20)));
    closer.start();
    waitFor(queue::isStopping);
    GradioException refused = assertThrows(GradioException.class, () -> join("c", "x"));
    assertEquals(GradioException.Kind.QUEUE_FULL, refused.kind());
    assertEquals("The server is stopping; try again shortly.", refused.getMessage());
    assertTrue(closer.isAlive(), "close waits for the running event");
    hold.countDown();
    closer.join(10_000);
    assertFalse(closer.isAlive());
    assertEquals(2, finished.get(), "the running and the queued event both finished");
  }

  @Test
  void perSessionPendingIsBounded() {
    queue.close();
    queue = queue(new QueueLimits(1, 1, 50, 50, 100, 2, Duration.ofMinutes(5)));
        join("s", "hold");
    join("s", "hold");
    assertEquals(GradioException.Kind.QUEUE_FULL, assertThrows(GradioException.class, () -> join("s", "x")).kind());
  }

  @Test
  void expiredSessionsAreSweptAndTheirEventsCancelled() {
    SessionRegistry reg = new SessionRegistry(10, Duration.ofSeconds(1).toNanos());
    Session s = reg.getOrCreate("x");
    Event e = new Event("e", s, SearchAppBlocks.create(Query.MAX_K, Query.DEFAULT_K).dependencies().get(0), List.of(), "r");
    s.join(e, new ServerMessage.Estimation("e", 0, 1, null), 5);
    assertTrue(reg.sweep(System.nanoTime()).isEmpty(), "fresh session kept");
    List<Event> orphans = reg.sweep(System.nanoTime() + Duration.ofSeconds(2).toNanos());
    assertEquals(List.of(e), orphans);
    assertTrue(reg.get("x").isEmpty());
    s.streamOpened();
    assertFalse(s.expired(Long.MAX_VALUE, 1), "a session with an open stream never expires");
  }

  @Test
  void tooManyInputsIsAValidationError() {
    GradioException e = assertThrows(GradioException.class,
        () -> queue.join("s", 0, List.of(TextNode.valueOf("a"), TextNode.valueOf("b"), TextNode.valueOf("c")), "r", "client"));
    assertEquals(GradioException.Kind.VALIDATION, e.kind());
    assertEquals(GradioException.Kind.NOT_FOUND, assertThrows(GradioException.class, () -> queue.join("s", 9, List.of(), "r", "client")).kind());
  }

  @Test
  void cancelledQueuedEventsAreForgottenAndFreeTheirSlot() {
    join("a", "hold");
    join("a", "hold");
    waitFor(() -> queue.runningCount() == 2);
    String queued = join("b", "x");
    assertEquals(3, queue.liveCount());
    assertEquals(1, queue.queuedCount());
    assertTrue(queue.cancel(queued));
    assertEquals(2, queue.liveCount());
    assertEquals(0, queue.queuedCount(), "the slot is free again");
  }
}
