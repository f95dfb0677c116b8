package dev.clipsearch.gradio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.concurrent.Threads;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The request workers' order: searches before ingests, ingests on their share of workers, clients in turn. */
class FairWorkersTest {
  private final List<String> ran = new CopyOnWriteArrayList<>();
  private final CountDownLatch gate = new CountDownLatch(1);
  private FairWorkers workers;

  private FairWorkers.Task task(String client, boolean bulk, String name) {
    return new FairWorkers.Task(client, bulk, () -> ran.add(name));
  }

  private FairWorkers.Task blocker(String client, boolean bulk, String name, CountDownLatch started) {
    return new FairWorkers.Task(client, bulk, () -> {
      started.countDown();
      try {
        gate.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ran.add(name);
    });
  }

  @AfterEach
  void stop() throws Exception {
    gate.countDown();
    workers.shutdown();
    workers.awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void searchesRunBeforeIngestsQueuedEarlierAndClientsTakeTurns() throws Exception {
    workers = new FairWorkers(1, 1, 100, 100, Threads.numbered("test-worker-"));
    CountDownLatch started = new CountDownLatch(1);
    workers.submit(blocker("a", false, "busy", started));
    started.await(5, TimeUnit.SECONDS);
    workers.submit(task("a", true, "ingest-a"));
    workers.submit(task("a", false, "a1"));
    workers.submit(task("a", false, "a2"));
    workers.submit(task("a", false, "a3"));
    workers.submit(task("b", false, "b1"));
    gate.countDown();
    workers.shutdown();
    assertTrue(workers.awaitTermination(5, TimeUnit.SECONDS));
    assertEquals(List.of("busy", "a1", "b1", "a2", "a3", "ingest-a"), ran);
  }

  @Test
  void ingestsNeverTakeMoreThanTheirShareOfWorkers() throws Exception {
    workers = new FairWorkers(2, 1, 100, 100, Threads.numbered("test-worker-"));
    CountDownLatch started = new CountDownLatch(1);
    workers.submit(blocker("a", true, "ingest-1", started));
    started.await(5, TimeUnit.SECONDS);
    workers.submit(task("a", true, "ingest-2")); // waits: one ingest at a time
    workers.submit(task("b", false, "search")); // the other worker is kept for it
    long t0 = System.nanoTime();
    while (!ran.contains("search") && System.nanoTime() - t0 < 5_000_000_000L) {
      Thread.sleep(5);
    }
    assertEquals(List.of("search"), ran, "the search ran while the first ingest held its worker");
    assertEquals(1, workers.queued(), "the second ingest still waits");
  }

  @Test
  void theQueueIsBoundedInAllAndPerClientAndARemovedTaskFreesItsPlace() throws Exception {
    workers = new FairWorkers(1, 1, 3, 2, Threads.numbered("test-worker-"));
    CountDownLatch started = new CountDownLatch(1);
    workers.submit(blocker("a", false, "busy", started));
    started.await(5, TimeUnit.SECONDS);
    FairWorkers.Task a1 = task("a", false, "a1");
    assertEquals(Optional.empty(), workers.submit(a1));
    assertEquals(Optional.empty(), workers.submit(task("a", false, "a2")));
    assertEquals(Optional.of(FairWorkers.Refusal.CLIENT_FULL), workers.submit(task("a", false, "a3")));
    assertEquals(Optional.empty(), workers.submit(task("b", false, "b1")));
    assertEquals(Optional.of(FairWorkers.Refusal.FULL), workers.submit(task("c", false, "c1")));
    assertTrue(workers.remove(a1), "a cancelled event leaves the queue");
    assertEquals(Optional.empty(), workers.submit(task("c", false, "c1")), "and its place is free again");
  }
}
