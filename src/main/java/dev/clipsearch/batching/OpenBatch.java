package dev.clipsearch.batching;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One batch being staged into a slot. The collector appends jobs (staging each input) until the compute thread
 * {@link #seal seals} it; a batch handed over while the model is still busy with the previous one therefore keeps
 * growing until the model is free, instead of leaving late arrivals for a third batch.
 *
 * <p>Threading: appended by the collector, sealed and read by the compute thread; the monitor orders the two, so the
 * staged rows are visible to the compute thread once {@link #seal} returns.
 */
final class OpenBatch<I, O> {
  /** @param seq submission order, which orders jobs of the same priority */
  record Job<I, O>(I input, CompletableFuture<O> result, long enqueuedNanos, Priority priority, long seq) {
    /** Interactive before bulk, then first come first served. */
    static <I, O> int order(Job<I, O> a, Job<I, O> b) {
      int p = a.priority.compareTo(b.priority);
      return p != 0 ? p : Long.compare(a.seq, b.seq);
    }
  }

  final int slot;
  private final int maxBatch;
  private final List<Job<I, O>> jobs;
  private boolean sealed;

  OpenBatch(int slot, int maxBatch) {
    this.slot = slot;
    this.maxBatch = maxBatch;
    this.jobs = new ArrayList<>(maxBatch);
  }

  /**
   * Stages the job's input into the next row. A staging failure fails that job alone.
   *
   * @return false if the batch is sealed or full (the job was not taken)
   */
  synchronized boolean tryAppend(Job<I, O> job, BatchKernel<I, O> kernel) {
    if (sealed || jobs.size() >= maxBatch) {
      return false;
    }
    try {
      kernel.stage(slot, jobs.size(), job.input());
      jobs.add(job);
    } catch (RuntimeException e) {
      job.result().completeExceptionally(e);
    }
    return true;
  }

  synchronized int size() {
    return jobs.size();
  }

  synchronized boolean isFull() {
    return jobs.size() >= maxBatch;
  }

  /**
   * Stops appends, drops jobs whose caller has given up (moving later rows down over them) and returns the rest.
   * Called once, on the compute thread.
   */
  synchronized List<Job<I, O>> seal(BatchKernel<I, O> kernel, BatchStats stats) {
    sealed = true;
    int kept = 0;
    for (int row = 0; row < jobs.size(); row++) {
      Job<I, O> job = jobs.get(row);
      if (job.result().isDone()) {
        stats.skipped.increment();
        continue;
      }
      if (row != kept) {
        kernel.move(slot, row, kept);
      }
      jobs.set(kept++, job);
    }
    jobs.subList(kept, jobs.size()).clear();
    return jobs;
  }

  /** Jobs still held (after {@link #seal}: the ones computed), for failing them all on an error. */
  synchronized List<Job<I, O>> jobs() {
    return new ArrayList<>(jobs);
  }
}
