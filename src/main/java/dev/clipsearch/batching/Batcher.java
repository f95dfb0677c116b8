package dev.clipsearch.batching;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Dynamic batching in front of one model method: callers {@link #submit} single items from any thread; one worker
 * thread groups them into batches by {@link BatchPolicy} and runs {@code compute} on each batch.
 *
 * <p>Threading: the worker thread is the only caller of {@code compute}, so native state it touches (PointerScope,
 * staging buffers) stays on one thread. Futures are completed on the worker: callers must not run slow follow-up
 * work (Milvus calls) in {@code thenApply} on them; block on their own thread or use an async stage.
 *
 * <p>Every future completes on every path: result, batch failure, cancellation, overload, or {@link #close()}.
 */
public final class Batcher<I, O> implements AutoCloseable {
  private record Job<I, O>(I input, CompletableFuture<O> result, long enqueuedNanos) {}

  private final String name;
  private final BatchPolicy policy;
  private final Function<List<I>, List<O>> compute;
  private final BlockingQueue<Job<I, O>> queue;
  private final Thread worker;
  private final BatchStats stats = new BatchStats();
  private final Clock clock;
  private volatile boolean closed;

  /** Monotonic time source; tests pass a fake one. */
  public interface Clock {
    long nanoTime();
  }

  public Batcher(String name, BatchPolicy policy, int queueCapacity, Function<List<I>, List<O>> compute) {
    this(name, policy, queueCapacity, compute, System::nanoTime);
  }

  Batcher(String name, BatchPolicy policy, int queueCapacity, Function<List<I>, List<O>> compute, Clock clock) {
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("queue capacity must be >= 1, got " + queueCapacity);
    }
    this.name = name;
    this.policy = policy;
    this.compute = compute;
    this.clock = clock;
    this.queue = new ArrayBlockingQueue<>(queueCapacity);
    this.worker = new Thread(this::run, "batcher-" + name);
    this.worker.setDaemon(true);
    this.worker.start();
  }

  /** Queues one item. Never blocks: a full queue fails the future at once with {@link OverloadedException}. */
  public CompletableFuture<O> submit(I input) {
    CompletableFuture<O> result = new CompletableFuture<>();
    if (closed) {
      result.completeExceptionally(new IllegalStateException(name + " batcher is closed"));
      return result;
    }
    if (!queue.offer(new Job<>(input, result, clock.nanoTime()))) {
      stats.rejected.increment();
      result.completeExceptionally(
          new OverloadedException(name + " queue is full (" + (queue.size() + queue.remainingCapacity()) + " waiting)"));
    }
    return result;
  }

  public BatchStats stats() {
    return stats;
  }

  public BatchPolicy policy() {
    return policy;
  }

  private void run() {
    List<Job<I, O>> batch = new ArrayList<>(policy.maxBatch());
    while (!closed) {
      try {
        Job<I, O> first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        fill(batch, first.enqueuedNanos());
        runBatch(batch);
      } catch (InterruptedException e) {
        break;
      } catch (RuntimeException | Error e) {
        fail(batch, e); // a bug in fill/runBatch must not strand callers or kill the worker
      } finally {
        batch.clear();
      }
    }
    failQueued();
  }

  private void fill(List<Job<I, O>> batch, long oldestNanos) throws InterruptedException {
    while (true) {
      queue.drainTo(batch, policy.maxBatch() - batch.size());
      long wait = policy.waitNanos(batch.size(), clock.nanoTime() - oldestNanos);
      if (wait == 0) {
        return;
      }
      Job<I, O> next = queue.poll(wait, TimeUnit.NANOSECONDS);
      if (next == null) {
        return;
      }
      batch.add(next);
    }
  }

  private void runBatch(List<Job<I, O>> batch) {
    batch.removeIf(job -> job.result().isDone()); // cancelled or timed out by the caller: skip the work
    if (batch.isEmpty()) {
      return;
    }
    long start = clock.nanoTime();
    List<I> inputs = new ArrayList<>(batch.size());
    for (Job<I, O> job : batch) {
      inputs.add(job.input());
      stats.queueWaitNanos.add(start - job.enqueuedNanos());
    }
    List<O> outputs = compute.apply(inputs);
    if (outputs.size() != batch.size()) {
      throw new IllegalStateException(name + ": compute returned " + outputs.size() + " results for " + batch.size());
    }
    stats.computeNanos.add(clock.nanoTime() - start);
    stats.batches.increment();
    stats.items.add(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).result().complete(outputs.get(i));
    }
  }

  private void fail(List<Job<I, O>> batch, Throwable e) {
    stats.failed.add(batch.size());
    for (Job<I, O> job : batch) {
      job.result().completeExceptionally(e);
    }
  }

  private void failQueued() {
    List<Job<I, O>> rest = new ArrayList<>();
    queue.drainTo(rest);
    for (Job<I, O> job : rest) {
      job.result().completeExceptionally(new CancellationException(name + " batcher closed"));
    }
  }

  /** Stops accepting work, fails what is queued, and waits for the batch in flight to finish. */
  @Override
  public void close() {
    closed = true;
    try {
      worker.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    failQueued();
  }
}
