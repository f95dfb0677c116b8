package dev.clipsearch.batching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BatcherTest {
  @Test
  void itemsQueuedTogetherAreComputedInOneBatchAndEachGetsItsOwnResult() throws Exception {
    List<Integer> sizes = new CopyOnWriteArrayList<>();
    Gate gate = new Gate();
    try (Batcher<Integer, Integer> b = Batchers.of("t", new BatchPolicy(4, 50_000_000), 16, in -> {
      gate.pass();
      sizes.add(in.size());
      return in.stream().map(x -> x * 10).toList();
    })) {
      CompletableFuture<Integer> blocker = b.submit(0); // occupies the worker until the gate opens
      gate.awaitFirst();
      List<CompletableFuture<Integer>> futures = new ArrayList<>();
      for (int i = 1; i <= 4; i++) {
        futures.add(b.submit(i));
      }
      gate.countDown();
      assertEquals(0, blocker.get(5, TimeUnit.SECONDS));
      for (int i = 1; i <= 4; i++) {
        assertEquals(i * 10, futures.get(i - 1).get(5, TimeUnit.SECONDS));
      }
      assertEquals(List.of(1, 4), sizes);
    }
  }

  @Test
  void searchesQueuedBehindIngestGoIntoTheNextBatchFirst() throws Exception {
    List<List<Integer>> batches = new CopyOnWriteArrayList<>();
    Gate gate = new Gate();
    try (Batcher<Integer, Integer> b = Batchers.of("t", new BatchPolicy(2, 0), 64, in -> {
      gate.pass();
      batches.add(List.copyOf(in));
      return in;
    })) {
      CompletableFuture<Integer> blocker = b.submit(0); // the model is busy with this one
      gate.awaitFirst();
      List<CompletableFuture<Integer>> all = new ArrayList<>();
      for (int i = 101; i <= 104; i++) {
        all.add(b.submit(i, Priority.BULK)); // an ingest backlog
      }
      Thread.sleep(50);
      all.add(b.submit(1)); // then two searches
      all.add(b.submit(2));
      gate.countDown();
      blocker.get(5, TimeUnit.SECONDS);
      for (CompletableFuture<Integer> f : all) {
        f.get(5, TimeUnit.SECONDS);
      }
      assertEquals(List.of(0), batches.get(0));
      assertEquals(List.of(1, 2), batches.get(1), "the searches before the ingest that was queued earlier: " + batches);
      assertEquals(List.of(101, 102), batches.get(2));
    }
  }

  @Test
  void aFullIngestQueueDoesNotRefuseSearches() throws Exception {
    Gate gate = new Gate();
    try (Batcher<Integer, Integer> b = Batchers.of("t", new BatchPolicy(1, 0), 2, in -> {
      gate.pass();
      return in;
    })) {
      b.submit(0, Priority.BULK);
      gate.awaitFirst(); // the first is being computed; the queue bound counts what waits
      b.submit(1, Priority.BULK);
      b.submit(2, Priority.BULK);
      assertInstanceOf(OverloadedException.class, assertThrows(ExecutionException.class,
          () -> b.submit(3, Priority.BULK).get(5, TimeUnit.SECONDS)).getCause());
      CompletableFuture<Integer> search = b.submit(4);
      gate.countDown();
      assertEquals(4, search.get(5, TimeUnit.SECONDS));
    }
  }

  @Test
  void aLoneItemIsSentAfterTheMaxDelay() throws Exception {
    try (Batcher<Integer, Integer> b = Batchers.of("t", new BatchPolicy(64, 20_000_000), 16, in -> in)) {
      long start = System.nanoTime();
      assertEquals(7, b.submit(7).get(5, TimeUnit.SECONDS));
      long tookMillis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(tookMillis >= 15, "sent before the delay: " + tookMillis + " ms");
    }
  }

  @Test
  void aFailingBatchFailsEveryJobInItAndTheWorkerKeepsGoing() throws Exception {
    try (Batcher<Integer, Integer> b = Batchers.of("t", new BatchPolicy(8, 0), 16, in -> {
      if (in.contains(-1)) {
        throw new IllegalStateException("boom");
      }
      return in;
    })) {
      ExecutionException e = assertThrows(ExecutionException.class, () -> b.submit(-1).get(5, TimeUnit.SECONDS));
      assertEquals("boom", e.getCause().getMessage());
      assertEquals(3, b.submit(3).get(5, TimeUnit.SECONDS));
      assertEquals(1, b.snapshot().failed());
    }
  }

  @Test
  void aFullQueueRejectsAtOnceWithOverloaded() throws Exception {
    Gate gate = new Gate();
    try (Batcher<Integer, Integer> b = Batchers.of("t", new BatchPolicy(1, 0), 2, in -> {
      gate.pass();
      return in;
    })) {
      CompletableFuture<Integer> running = b.submit(1);
      gate.awaitFirst(); // the worker has taken job 1 and blocks
      b.submit(2);
      b.submit(3);
      CompletableFuture<Integer> rejected = b.submit(4);
      assertTrue(rejected.isCompletedExceptionally());
      ExecutionException e = assertThrows(ExecutionException.class, rejected::get);
      assertInstanceOf(OverloadedException.class, e.getCause());
      gate.countDown();
      assertEquals(1, running.get(5, TimeUnit.SECONDS));
    }
  }

  @Test
  void queuedCountsJobsNotYetInABatch() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch gate = new CountDownLatch(1);
    try (Batcher<Integer, Integer> b = Batchers.of("t", new BatchPolicy(1, 0), 8, in -> {
      started.countDown();
      await(gate);
      return in;
    })) {
      assertEquals(0, b.queued());
      CompletableFuture<Integer> running = b.submit(1);
      assertTrue(started.await(5, TimeUnit.SECONDS));
      assertEquals(0, b.queued(), "job 1 is in the batch the model is computing");
      CompletableFuture<Integer> second = b.submit(2);
      CompletableFuture<Integer> third = b.submit(3);
      assertEquals(2, b.queued());
      gate.countDown();
      assertEquals(1, running.get(5, TimeUnit.SECONDS));
      assertEquals(2, second.get(5, TimeUnit.SECONDS));
      assertEquals(3, third.get(5, TimeUnit.SECONDS));
      assertEquals(0, b.queued());
    }
  }

  @Test
  void cancelledJobsAreSkippedNotComputed() throws Exception {
    List<Integer> seen = new CopyOnWriteArrayList<>();
    Gate gate = new Gate();
    try (Batcher<Integer, Integer> b = Batchers.of("t", new BatchPolicy(8, 10_000_000), 16, in -> {
      gate.pass();
      seen.addAll(in);
      return in;
    })) {
      CompletableFuture<Integer> first = b.submit(1);
      gate.awaitFirst();
      CompletableFuture<Integer> cancelled = b.submit(2);
      CompletableFuture<Integer> kept = b.submit(3);
      cancelled.cancel(true);
      gate.countDown();
      assertEquals(3, kept.get(5, TimeUnit.SECONDS));
      first.get(5, TimeUnit.SECONDS);
      assertEquals(List.of(1, 3), seen);
    }
  }

  @Test
  void closeFailsQueuedJobsAndRejectsNewOnes() throws Exception {
    Gate gate = new Gate();
    Batcher<Integer, Integer> b = Batchers.of("t", new BatchPolicy(1, 0), 8, in -> {
      gate.pass();
      return in;
    });
    CompletableFuture<Integer> running = b.submit(1);
    gate.awaitFirst();
    CompletableFuture<Integer> queued = b.submit(2);
    Thread closer = new Thread(b::close);
    closer.start();
    awaitJoining(closer); // close has marked the batcher closed and waits for its threads
    gate.countDown();
    closer.join(10_000);
    assertEquals(1, running.get(5, TimeUnit.SECONDS));
    assertTrue(queued.isCompletedExceptionally());
    assertTrue(b.submit(3).isCompletedExceptionally());
  }

  /** close() marks the batcher closed first, then joins its threads: a closer seen waiting is past the mark. */
  private static void awaitJoining(Thread closer) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (closer.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < end) {
      Thread.sleep(5);
    }
    assertEquals(Thread.State.TIMED_WAITING, closer.getState(), "close did not reach its wait");
  }

  /**
   * Holds the model's batches until opened, and tells the test when the first batch has reached the model (so it
   * is sealed: later submissions go to the next batch), instead of a sleep that a loaded machine can outlast.
   */
  private static final class Gate {
    private final CountDownLatch first = new CountDownLatch(1);
    private final CountDownLatch open = new CountDownLatch(1);

    void pass() {
      first.countDown();
      await(open);
    }

    void awaitFirst() throws InterruptedException {
      assertTrue(first.await(10, TimeUnit.SECONDS), "the first batch never reached the model");
    }

    void countDown() {
      open.countDown();
    }
  }

  private static void await(CountDownLatch gate) {
    try {
      gate.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
