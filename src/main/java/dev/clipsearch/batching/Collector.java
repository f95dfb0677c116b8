package dev.clipsearch.batching;

import dev.clipsearch.batching.OpenBatch.Job;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The batcher's collector loop: takes jobs off the bounded queue, stages them into a free slot and hands each batch
 * to the compute thread once {@link BatchPolicy} says so. While the model is busy, the handed-over batch keeps taking
 * arrivals ({@link OpenBatch}); when it is full or sealed the next job waits for a free slot, and with every slot busy
 * jobs simply accumulate in the queue for the next drain.
 *
 * <p>The queue bound counts jobs not yet in a batch: {@code submit} takes a permit of the job's priority, and this
 * loop gives it back ({@code release}) once the job is staged, skipped or failed. The queue is ordered by priority,
 * so every drain takes interactive jobs before bulk ones.
 *
 * <p>Threading: runs on its own thread, the only one that stages ({@link BatchKernel#stage}). On exit (close or
 * interrupt) it fails the job in hand and posts a poison batch (slot -1) so the compute thread drains and stops.
 */
final class Collector<I, O> implements Runnable {
  static final long IDLE_POLL_MILLIS = 100; // how often an idle thread looks at the closed flag

  private final String name;
  private final BatchPolicy policy;
  private final BatchKernel<I, O> kernel;
  private final BlockingQueue<Job<I, O>> queue;
  private final BlockingQueue<Integer> freeSlots;
  private final BlockingQueue<OpenBatch<I, O>> ready;
  private final BatchStats stats;
  private final Batcher.Clock clock;
  private final BooleanSupplier closed;
  private final Consumer<Job<I, O>> release;

  Collector(String name, BatchPolicy policy, BatchKernel<I, O> kernel, BlockingQueue<Job<I, O>> queue,
      BlockingQueue<Integer> freeSlots, BlockingQueue<OpenBatch<I, O>> ready, BatchStats stats, Batcher.Clock clock,
      BooleanSupplier closed, Consumer<Job<I, O>> release) {
    this.name = name;
    this.policy = policy;
    this.kernel = kernel;
    this.queue = queue;
    this.freeSlots = freeSlots;
    this.ready = ready;
    this.stats = stats;
    this.clock = clock;
    this.closed = closed;
    this.release = release;
  }

  @Override
  public void run() {
    OpenBatch<I, O> open = null; // handed over, still growing until the compute thread seals it
    Job<I, O> job = null;
    try {
      while (!closed.getAsBoolean()) {
        job = queue.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
        if (job == null) {
          continue;
        }
        if (closed.getAsBoolean()) {
          break; // closed while polling: no new batch; the job in hand is failed below, the queue by close()
        }
        if (skipIfAbandoned(job) || (open != null && open.tryAppend(job, kernel))) {
          release.accept(job);
          job = null;
          continue;
        }
        Integer slot = freeSlots.poll();
        if (slot == null) {
          // Every slot busy: the job goes back while we wait, so the most urgent one is taken when a slot frees (a
          // search that arrives meanwhile goes before the ingest item that happened to be polled first).
          queue.add(job);
          job = null;
          slot = takeSlot();
          if (slot == null) {
            break; // closed while waiting for a slot: what is queued is failed by close()
          }
          job = queue.poll();
          if (job == null || skipIfAbandoned(job)) {
            if (job != null) {
              release.accept(job);
            }
            job = null;
            freeSlots.add(slot);
            continue;
          }
        }
        OpenBatch<I, O> batch = new OpenBatch<>(slot, policy.maxBatch());
        long oldestNanos = job.enqueuedNanos();
        batch.tryAppend(job, kernel);
        release.accept(job);
        job = null;
        fill(batch, oldestNanos);
        ready.add(batch);
        open = batch;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (job != null) {
        job.result().completeExceptionally(new CancellationException(name + " batcher closed"));
      }
      ready.add(new OpenBatch<>(-1, 0));
    }
  }

  /** A free slot, or null once closed: a slot freed by the last batch after close() must not start another. */
  private Integer takeSlot() throws InterruptedException {
    while (!closed.getAsBoolean()) {
      Integer slot = freeSlots.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
      if (slot != null) {
        if (!closed.getAsBoolean()) {
          return slot;
        }
        freeSlots.add(slot);
      }
    }
    return null;
  }

  /** Stages queued jobs until the batch is full or its oldest job has waited the policy's delay. */
  private void fill(OpenBatch<I, O> batch, long oldestNanos) throws InterruptedException {
    List<Job<I, O>> drained = new ArrayList<>();
    while (!batch.isFull()) {
      queue.drainTo(drained, policy.maxBatch() - batch.size());
      for (Job<I, O> j : drained) {
        append(batch, j);
      }
      drained.clear();
      long wait = policy.waitNanos(batch.size(), clock.nanoTime() - oldestNanos);
      if (wait == 0) {
        return;
      }
      Job<I, O> next = queue.poll(wait, TimeUnit.NANOSECONDS);
      if (next == null) {
        return;
      }
      append(batch, next);
    }
  }

  private void append(OpenBatch<I, O> batch, Job<I, O> job) {
    release.accept(job);
    if (!skipIfAbandoned(job)) {
      batch.tryAppend(job, kernel); // cannot refuse: not yet handed over, and fill stops at full
    }
  }

  private boolean skipIfAbandoned(Job<I, O> job) {
    if (job.result().isDone()) {
      stats.skipped.increment();
      return true;
    }
    return false;
  }
}
