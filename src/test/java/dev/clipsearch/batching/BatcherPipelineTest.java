package dev.clipsearch.batching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** Two batches in flight: staging overlaps compute, late arrivals join the waiting batch, cancelled rows are moved out. */
class BatcherPipelineTest {
  /** Records which thread did what; compute of batches whose first input is negative blocks on the gate. */
  static final class RecordingKernel implements BatchKernel<Integer, Integer> {
    final int[][] slots = new int[2][64];
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<Integer> sizes = new CopyOnWriteArrayList<>();
    final CountDownLatch gate = new CountDownLatch(1);
    final CountDownLatch computing = new CountDownLatch(1);

    @Override
    public void stage(int slot, int row, Integer input) {
      slots[slot][row] = input;
      events.add("stage " + input + " in slot " + slot);
    }

    @Override
    public void move(int slot, int from, int to) {
      slots[slot][to] = slots[slot][from];
    }

    @Override
    public List<Integer> compute(int slot, int n) {
      if (slots[slot][0] < 0) {
        computing.countDown();
        await(gate);
      }
      sizes.add(n);
      List<Integer> out = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        out.add(slots[slot][i] * 10);
      }
      events.add("computed " + n + " from slot " + slot);
      return out;
    }
  }

  @Test
  void theNextBatchIsStagedIntoTheOtherSlotWhileTheModelComputesAndResultsStayInOrder() throws Exception {
    RecordingKernel k = new RecordingKernel();
    try (Batcher<Integer, Integer> b = new Batcher<>("t", new BatchPolicy(8, 1_000_000), 64, 2, k, new SimpleMeterRegistry())) {
      CompletableFuture<Integer> blocker = b.submit(-1);
      assertTrue(k.computing.await(5, TimeUnit.SECONDS));
      List<CompletableFuture<Integer>> next = new ArrayList<>();
      for (int i = 1; i <= 5; i++) {
        next.add(b.submit(i));
      }
      waitFor(() -> k.events.contains("stage 5 in slot 1"));
      assertTrue(k.sizes.isEmpty(), "all five were staged while batch 1 was still computing");
      k.gate.countDown();
      assertEquals(-10, blocker.get(5, TimeUnit.SECONDS));
      for (int i = 1; i <= 5; i++) {
        assertEquals(i * 10, next.get(i - 1).get(5, TimeUnit.SECONDS));
      }
      assertEquals(List.of(1, 5), k.sizes, "late arrivals joined the waiting batch instead of forming a third");
    }
  }

  @Test
  void withOneBatchInFlightNothingIsStagedUntilTheSlotIsFree() throws Exception {
    RecordingKernel k = new RecordingKernel();
    try (Batcher<Integer, Integer> b = new Batcher<>("t", new BatchPolicy(8, 1_000_000), 64, 1, k, new SimpleMeterRegistry())) {
      CompletableFuture<Integer> blocker = b.submit(-1);
      assertTrue(k.computing.await(5, TimeUnit.SECONDS));
      CompletableFuture<Integer> second = b.submit(2);
      Thread.sleep(50);
      assertEquals(List.of("stage -1 in slot 0"), k.events);
      k.gate.countDown();
      assertEquals(20, second.get(5, TimeUnit.SECONDS));
      blocker.get(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aJobCancelledAfterStagingIsMovedOutAndTheOthersGetTheirOwnResults() throws Exception {
    RecordingKernel k = new RecordingKernel();
    try (Batcher<Integer, Integer> b = new Batcher<>("t", new BatchPolicy(8, 1_000_000), 64, 2, k, new SimpleMeterRegistry())) {
      CompletableFuture<Integer> blocker = b.submit(-1);
      assertTrue(k.computing.await(5, TimeUnit.SECONDS));
      CompletableFuture<Integer> one = b.submit(1);
      CompletableFuture<Integer> two = b.submit(2);
      CompletableFuture<Integer> three = b.submit(3);
      waitFor(() -> k.events.contains("stage 3 in slot 1"));
      two.cancel(true);
      k.gate.countDown();
      blocker.get(5, TimeUnit.SECONDS);
      assertEquals(10, one.get(5, TimeUnit.SECONDS));
      assertEquals(30, three.get(5, TimeUnit.SECONDS));
      assertEquals(List.of(1, 2), k.sizes);
      assertEquals(1, b.snapshot().skipped());
    }
  }

  @Test
  void aStagingFailureFailsOnlyThatJob() throws Exception {
    BatchKernel<Integer, Integer> k = BatchKernel.of(2, in -> in);
    BatchKernel<Integer, Integer> picky = new BatchKernel<>() {
      @Override
      public void stage(int slot, int row, Integer input) {
        if (input == 13) {
          throw new IllegalArgumentException("unlucky");
        }
        k.stage(slot, row, input);
      }

      @Override
      public void move(int slot, int from, int to) {
        k.move(slot, from, to);
      }

      @Override
      public List<Integer> compute(int slot, int n) {
        return k.compute(slot, n);
      }
    };
    try (Batcher<Integer, Integer> b = new Batcher<>("t", new BatchPolicy(4, 5_000_000), 16, 2, picky, new SimpleMeterRegistry())) {
      CompletableFuture<Integer> bad = b.submit(13);
      CompletableFuture<Integer> good = b.submit(7);
      ExecutionException e = assertThrows(ExecutionException.class, () -> bad.get(5, TimeUnit.SECONDS));
      assertInstanceOf(IllegalArgumentException.class, e.getCause());
      assertEquals(7, good.get(5, TimeUnit.SECONDS));
    }
  }

  @Test
  void closeFinishesTheBatchesHandedOverAndFailsWhatIsStillQueued() throws Exception {
    RecordingKernel k = new RecordingKernel();
    Batcher<Integer, Integer> b = new Batcher<>("t", new BatchPolicy(1, 0), 64, 2, k, new SimpleMeterRegistry());
    CompletableFuture<Integer> blocker = b.submit(-1);
    assertTrue(k.computing.await(5, TimeUnit.SECONDS));
    CompletableFuture<Integer> staged = b.submit(1);
    waitFor(() -> k.events.contains("stage 1 in slot 1"));
    List<CompletableFuture<Integer>> queued = new ArrayList<>();
    for (int i = 2; i < 6; i++) {
      queued.add(b.submit(i));
    }
    Thread closer = new Thread(b::close);
    closer.start();
    Thread.sleep(50);
    k.gate.countDown();
    closer.join(10_000);
    assertEquals(-10, blocker.get(1, TimeUnit.SECONDS));
    assertEquals(10, staged.get(1, TimeUnit.SECONDS));
    for (CompletableFuture<Integer> f : queued) {
      assertTrue(f.isDone(), "every future completes on close");
      if (f.isCompletedExceptionally()) {
        assertThrows(CancellationException.class, f::get); // get() rethrows a CancellationException cause as is
      }
    }
  }

  static void await(CountDownLatch gate) {
    try {
      gate.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not reached in 5 s");
      }
      Thread.sleep(2);
    }
  }
}
