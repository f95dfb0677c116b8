package dev.clipsearch.gradio;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The request workers' scheduler: interactive tasks (searches) before bulk ones (ingests), bulk on at most
 * {@code maxBulkRunning} workers so searches always find one free, and clients served in turn (round robin over
 * client addresses within each class) so one busy client cannot make the others wait behind its whole backlog.
 * Bounded: {@code maxQueued} tasks in all and {@code maxQueuedPerClient} of one client; {@link #submit} refuses past
 * either instead of blocking.
 *
 * <p>Threading: {@link #submit} and {@link #remove} from any thread; each worker thread takes the next task under the
 * one lock and runs it outside the lock. A task that throws does not kill its worker.
 */
final class FairWorkers {
  /** Why {@link #submit} refused. */
  enum Refusal { FULL, CLIENT_FULL, STOPPED }

  /** A queued task, removable until a worker takes it. */
  static final class Task {
    final String client;
    final boolean bulk;
    final Runnable body;

    Task(String client, boolean bulk, Runnable body) {
      this.client = client;
      this.bulk = bulk;
      this.body = body;
    }
  }

  /** One class of tasks: a queue per client, visited in turn. */
  private static final class Ring {
    final LinkedHashMap<String, ArrayDeque<Task>> byClient = new LinkedHashMap<>();
    int size;

    void add(Task t) {
      byClient.computeIfAbsent(t.client, c -> new ArrayDeque<>()).add(t);
      size++;
    }

    /** The head task of the first client, whose queue then goes to the back of the line. */
    Task next() {
      Iterator<Map.Entry<String, ArrayDeque<Task>>> it = byClient.entrySet().iterator();
      if (!it.hasNext()) {
        return null;
      }
      Map.Entry<String, ArrayDeque<Task>> first = it.next();
      Task t = first.getValue().poll();
      it.remove();
      if (!first.getValue().isEmpty()) {
        byClient.put(first.getKey(), first.getValue());
      }
      size--;
      return t;
    }

    boolean remove(Task t) {
      ArrayDeque<Task> q = byClient.get(t.client);
      if (q == null || !q.remove(t)) {
        return false;
      }
      if (q.isEmpty()) {
        byClient.remove(t.client);
      }
      size--;
      return true;
    }
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition ready = lock.newCondition();
  private final Condition idle = lock.newCondition();
  private final Ring interactive = new Ring();
  private final Ring bulk = new Ring();
  private final Map<String, Integer> queuedByClient = new java.util.HashMap<>();
  private final int maxQueued;
  private final int maxQueuedPerClient;
  private final int maxBulkRunning;
  private final Thread[] threads;
  private int running;
  private int bulkRunning;
  private boolean shutdown;
  private boolean drop;

  FairWorkers(int workers, int maxBulkRunning, int maxQueued, int maxQueuedPerClient, ThreadFactory threads) {
    this.maxQueued = maxQueued;
    this.maxQueuedPerClient = maxQueuedPerClient;
    this.maxBulkRunning = Math.max(1, Math.min(workers, maxBulkRunning));
    this.threads = new Thread[workers];
    for (int i = 0; i < workers; i++) {
      this.threads[i] = threads.newThread(this::work);
      this.threads[i].start();
    }
  }

  /** Queues a task; empty when it was accepted, else why not. Never blocks. */
  java.util.Optional<Refusal> submit(Task t) {
    lock.lock();
    try {
      if (shutdown) {
        return java.util.Optional.of(Refusal.STOPPED);
      }
      if (queued() >= maxQueued) {
        return java.util.Optional.of(Refusal.FULL);
      }
      int mine = queuedByClient.getOrDefault(t.client, 0);
      if (mine >= maxQueuedPerClient) {
        return java.util.Optional.of(Refusal.CLIENT_FULL);
      }
      queuedByClient.put(t.client, mine + 1);
      (t.bulk ? bulk : interactive).add(t);
      ready.signal();
      return java.util.Optional.empty();
    } finally {
      lock.unlock();
    }
  }

  /** Takes a task out of the queue if no worker has yet; true if it was removed. */
  boolean remove(Task t) {
    lock.lock();
    try {
      boolean removed = (t.bulk ? bulk : interactive).remove(t);
      if (removed) {
        dequeued(t);
      }
      return removed;
    } finally {
      lock.unlock();
    }
  }

  int queued() {
    lock.lock();
    try {
      return interactive.size + bulk.size;
    } finally {
      lock.unlock();
    }
  }

  int running() {
    lock.lock();
    try {
      return running;
    } finally {
      lock.unlock();
    }
  }

  /** Refuses new tasks; queued ones still run. */
  void shutdown() {
    lock.lock();
    try {
      shutdown = true;
      ready.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** After {@link #shutdown}: waits until the queue is empty and nothing runs, up to the timeout. */
  boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    long left = unit.toNanos(timeout);
    lock.lock();
    try {
      while (running > 0 || interactive.size + bulk.size > 0) {
        if (left <= 0) {
          return false;
        }
        left = idle.awaitNanos(left);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Drops what is queued (its owners were cancelled) and stops the threads, interrupting running tasks. */
  void shutdownNow() {
    lock.lock();
    try {
      shutdown = true;
      drop = true;
      ready.signalAll();
    } finally {
      lock.unlock();
    }
    for (Thread t : threads) {
      t.interrupt();
    }
  }

  private void work() {
    while (true) {
      Task t;
      lock.lock();
      try {
        while ((t = take()) == null) {
          if (shutdown && (drop || interactive.size + bulk.size == 0)) {
            return;
          }
          ready.awaitUninterruptibly();
          if (drop) {
            return;
          }
        }
        running++;
        if (t.bulk) {
          bulkRunning++;
        }
      } finally {
        lock.unlock();
      }
      try {
        t.body.run();
      } catch (RuntimeException | Error e) {
        // the task reports its own failures (Event.finish); a worker outlives a bug in one task
      } finally {
        lock.lock();
        try {
          running--;
          if (t.bulk) {
            bulkRunning--;
          }
          ready.signal(); // a bulk slot may have freed up for a waiting bulk task
          idle.signalAll();
        } finally {
          lock.unlock();
        }
      }
      if (Thread.interrupted() && drop) {
        return;
      }
    }
  }

  /** Under the lock: the next task to run, interactive first, bulk only within its share of the workers. */
  private Task take() {
    Task t = interactive.next();
    if (t == null && bulkRunning < maxBulkRunning) {
      t = bulk.next();
    }
    if (t != null) {
      dequeued(t);
    }
    return t;
  }

  private void dequeued(Task t) {
    queuedByClient.computeIfPresent(t.client, (c, n) -> n > 1 ? n - 1 : null);
    idle.signalAll();
  }
}
