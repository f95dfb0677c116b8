package dev.clipsearch.batching;

import dev.clipsearch.batching.OpenBatch.Job;
import dev.clipsearch.concurrent.Threads;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Dynamic batching in front of one model method: callers {@link #submit} single items from any thread; batches form
 * by {@link BatchPolicy} and run on one compute thread, with up to {@code inFlight} batches in flight (2: the model
 * computes one while the next is staged into the other slot as its items arrive).
 *
 * <p>Threading: a collector thread takes jobs from the bounded queue, stages them into a free slot
 * ({@link BatchKernel#stage}) and hands the batch over; the compute thread is the only caller of
 * {@link BatchKernel#compute}, so model state (PointerScope, CUDA stream) stays on one thread. A handed-over batch
 * keeps taking jobs until the compute thread seals it (see {@link OpenBatch}). Futures complete on the compute
 * thread: callers must not run slow follow-up work (Milvus calls) in {@code thenApply}; block or go async.
 *
 * <p>Every future completes on every path: result, batch failure, staging failure, overload, or {@link #close()}.
 * Jobs cancelled before compute are dropped; a batch whose jobs were all cancelled is not computed.
 *
 * <p>Priorities ({@link Priority}): the queue is ordered interactive first, so a batch holds every waiting search
 * before any ingest item; each priority has its own queue bound, so a deep ingest backlog never makes a search 503.
 */
public final class Batcher<I, O> implements AutoCloseable {
  private final String name;
  private final BatchPolicy policy;
  private final BatchKernel<I, O> kernel;
  private final BlockingQueue<Job<I, O>> queue;
  private final int queueCapacity;
  private final Semaphore[] waiting = new Semaphore[Priority.values().length];
  private final AtomicLong seq = new AtomicLong();
  private final BlockingQueue<Integer> freeSlots;
  private final BlockingQueue<OpenBatch<I, O>> ready = new LinkedBlockingQueue<>();
  private final BatchStats stats;
  private final Clock clock;
  private final Thread collector;
  private final Thread computer;
  private volatile boolean closed;

  /** Monotonic time source; tests pass a fake one. */
  public interface Clock {
    long nanoTime();
  }

  /**
   * @param inFlight 1 or 2 batches at once; the kernel must have that many slots of {@code policy.maxBatch()} rows
   * @param registry where the batcher's meters go, tagged {@code tower=name} (see {@link BatchStats})
   */
  public Batcher(String name, BatchPolicy policy, int queueCapacity, int inFlight, BatchKernel<I, O> kernel,
      MeterRegistry registry) {
    this(name, policy, queueCapacity, inFlight, kernel, registry, System::nanoTime);
  }

  Batcher(String name, BatchPolicy policy, int queueCapacity, int inFlight, BatchKernel<I, O> kernel,
      MeterRegistry registry, Clock clock) {
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("queue capacity must be >= 1, got " + queueCapacity);
    }
    if (inFlight < 1 || inFlight > 2) {
      throw new IllegalArgumentException("batches in flight must be 1 or 2, got " + inFlight);
    }
    this.name = name;
    this.policy = policy;
    this.kernel = kernel;
    this.clock = clock;
    this.stats = new BatchStats(name, policy.maxBatch(), registry);
    this.queueCapacity = queueCapacity;
    for (Priority p : Priority.values()) {
      waiting[p.ordinal()] = new Semaphore(queueCapacity);
      Gauge.builder("clipsearch.batch.queued", this, b -> b.queued(p)).tag("tower", name)
          .tag("priority", p.name().toLowerCase(java.util.Locale.ROOT))
          .description("Requests waiting for a batch now.").strongReference(true).register(registry);
    }
    this.queue = new PriorityBlockingQueue<>(64, Job::order); // bounded by the permits
    this.freeSlots = new ArrayBlockingQueue<>(inFlight);
    for (int slot = 0; slot < inFlight; slot++) {
      freeSlots.add(slot);
    }
    this.computer = Threads.start("batcher-" + name + "-compute", this::computeLoop);
    this.collector = Threads.start("batcher-" + name,
        new Collector<>(name, policy, kernel, queue, freeSlots, ready, stats, clock, () -> closed,
            job -> waiting[job.priority().ordinal()].release()));
  }

  /** Queues one interactive item; see {@link #submit(Object, Priority)}. */
  public CompletableFuture<O> submit(I input) {
    return submit(input, Priority.INTERACTIVE);
  }

  /**
   * Queues one item. Never blocks: a full queue (of this priority) fails the future at once with
   * {@link OverloadedException}.
   */
  public CompletableFuture<O> submit(I input, Priority priority) {
    CompletableFuture<O> result = new CompletableFuture<>();
    if (closed) {
      result.completeExceptionally(new IllegalStateException(name + " batcher is closed"));
      return result;
    }
    if (!waiting[priority.ordinal()].tryAcquire()) {
      stats.rejected.increment();
      result.completeExceptionally(
          new OverloadedException(name + " queue is full (" + queueCapacity + " waiting): retry shortly"));
      return result;
    }
    queue.add(new Job<>(input, result, clock.nanoTime(), priority, seq.getAndIncrement()));
    if (closed) {
      failQueued(); // close() raced with this submit and may have drained the queue already
    }
    return result;
  }

  public String name() {
    return name;
  }

  public BatchStats stats() {
    return stats;
  }

  public BatchStats.Snapshot snapshot() {
    return stats.snapshot(name);
  }

  public BatchPolicy policy() {
    return policy;
  }

  /** Jobs submitted and not yet in a batch, the count the queue capacity bounds (a gauge for /metrics). */
  public int queued() {
    int n = 0;
    for (Priority p : Priority.values()) {
      n += queued(p);
    }
    return n;
  }

  int queued(Priority p) {
    return queueCapacity - waiting[p.ordinal()].availablePermits();
  }

  private void computeLoop() {
    while (true) {
      OpenBatch<I, O> batch;
      try {
        batch = ready.take();
      } catch (InterruptedException e) {
        break;
      }
      if (batch.slot < 0) {
        break;
      }
      try {
        runBatch(batch);
      } catch (RuntimeException | Error e) {
        fail(batch.jobs(), e); // a failed batch fails each of its jobs; the thread goes on
      } finally {
        freeSlots.add(batch.slot);
      }
    }
  }

  private void runBatch(OpenBatch<I, O> batch) {
    List<Job<I, O>> jobs = batch.seal(kernel, stats);
    if (jobs.isEmpty()) {
      return;
    }
    long start = clock.nanoTime();
    for (Job<I, O> job : jobs) {
      stats.queueWait.record(start - job.enqueuedNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
    }
    List<O> outputs = kernel.compute(batch.slot, jobs.size());
    if (outputs.size() != jobs.size()) {
      throw new IllegalStateException(name + ": compute returned " + outputs.size() + " results for " + jobs.size());
    }
    stats.recordBatch(jobs.size(), clock.nanoTime() - start);
    for (int i = 0; i < jobs.size(); i++) {
      jobs.get(i).result().complete(outputs.get(i));
    }
  }

  private void fail(List<Job<I, O>> jobs, Throwable e) {
    stats.failed.increment(jobs.size());
    for (Job<I, O> job : jobs) {
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

  /** Stops accepting work, fails what is queued, and waits for the batches already handed over to finish. */
  @Override
  public void close() {
    closed = true;
    try {
      collector.join(30_000);
      computer.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    failQueued();
  }
}
