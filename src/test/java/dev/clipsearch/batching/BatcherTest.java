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
    CountDownLatch gate = new CountDownLatch(1);
    try (Batcher<Integer, Integer> b = Batchers.of("t", new BatchPolicy(4, 50_000_000), 16, in -> {
      await(gate);
      sizes.add(in.size());
      return in.stream().map(x -> x * 10).toList();
    })) {
      CompletableFuture<Integer> blocker = b.submit(0); // occupies the worker until the gate opens
      Thread.sleep(100);
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
    CountDownLatch gate = new CountDownLatch(1);
    try (Batcher<Integer, Integer> b = Batchers.of("t", new BatchPolicy(2, 0), 64, in -> {
      await(gate);
      batches.add(List.copyOf(in));
      return in;
    })) {
      CompletableFuture<Integer> blocker = b.submit(0); // the model is busy with this one
      Thread.sleep(100);
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
    CountDownLatch gate = new CountDownLatch(1);
    try (Batcher<Integer, Integer> b = Batchers.of("t", new BatchPolicy(1, 0), 2, in -> {
      await(gate);
      return in;
    })) {
      b.submit(0, Priority.BULK);
      Thread.sleep(100); // the first is being computed; the queue bound counts what waits
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
    CountDownLatch gate = new CountDownLatch(1);
    try (Batcher<Integer, Integer> b = Batchers.of("t", new BatchPolicy(1, 0), 2, in -> {
      await(gate);
      return in;
    })) {
      CompletableFuture<Integer> running = b.submit(1);
      Thread.sleep(100); // the worker has taken job 1 and blocks
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
    CountDownLatch gate = new CountDownLatch(1);
    try (Batcher<Integer, Integer> b = Batchers.of("t", new BatchPolicy(8, 10_000_000), 16, in -> {
      await(gate);
      seen.addAll(in);
      return in;
    })) {
      CompletableFuture<Integer> first = b.submit(1);
      Thread.sleep(100);
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
    CountDownLatch gate = new CountDownLatch(1);
    Batcher<Integer, Integer> b = Batchers.of("t", new BatchPolicy(1, 0), 8, in -> {
      await(gate);
      return in;
    });
    CompletableFuture<Integer> running = b.submit(1);
    Thread.sleep(100);
    CompletableFuture<Integer> queued = b.submit(2);
    Thread closer = new Thread(b::close);
    closer.start();
    Thread.sleep(100);
    gate.countDown();
    closer.join(10_000);
    assertEquals(1, running.get(5, TimeUnit.SECONDS));
    assertTrue(queued.isCompletedExceptionally());
    assertTrue(b.submit(3).isCompletedExceptionally());
  }

  private static void await(CountDownLatch gate) {
    try {
      gate.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
