package dev.clipsearch.web;

import dev.clipsearch.concurrent.Threads;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Named readiness checks (e.g. "model", "store"), each a call that returns when its component can serve and throws
 * otherwise. Every check has {@code timeout} to answer: a probe must not hang while the store is slow, and a
 * Kubernetes-style probe gives up after about a second anyway.
 *
 * <p>Checks run on one small daemon pool, and a check still running from an earlier probe is not started again (it
 * reports "still answering a previous check"), so a probe storm against a hung store cannot pile up threads.
 */
public final class Readiness implements AutoCloseable {
  private final Map<String, Callable<?>> checks;
  private final Duration timeout;
  private final Map<String, Future<?>> inFlight = new LinkedHashMap<>();
  private final ExecutorService pool;

  public Readiness(Map<String, Callable<?>> checks, Duration timeout) {
    this.checks = new LinkedHashMap<>(checks);
    this.timeout = timeout;
    this.pool = Executors.newFixedThreadPool(Math.max(1, checks.size()), Threads.named("readiness-check"));
  }

  /** Name → "ok" or the reason it is not ready; all "ok" means ready. Runs the checks in parallel. */
  public synchronized Map<String, String> check() {
    Map<String, Future<?>> started = new LinkedHashMap<>();
    Map<String, String> result = new LinkedHashMap<>();
    for (Map.Entry<String, Callable<?>> c : checks.entrySet()) {
      Future<?> previous = inFlight.get(c.getKey());
      if (previous != null && !previous.isDone()) {
        result.put(c.getKey(), "did not answer within " + timeout.toMillis() + " ms (still answering a previous check)");
        continue;
      }
      Future<?> f = pool.submit(c.getValue());
      inFlight.put(c.getKey(), f);
      started.put(c.getKey(), f);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Map.Entry<String, Future<?>> f : started.entrySet()) {
      result.put(f.getKey(), outcome(f.getValue(), deadline));
    }
    Map<String, String> ordered = new LinkedHashMap<>();
    checks.keySet().forEach(k -> ordered.put(k, result.get(k)));
    return ordered;
  }

  private String outcome(Future<?> f, long deadline) {
    try {
      f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      return "ok";
    } catch (TimeoutException e) {
      return "did not answer within " + timeout.toMillis() + " ms";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable c = e.getCause();
      return c.getMessage() != null ? c.getMessage() : c.getClass().getSimpleName();
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
