package dev.clipsearch.concurrent;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads clip-search starts: daemons (none may keep the JVM alive after {@code main} returns or a shutdown
 * starts; components stop their own threads in {@code close()}) with a name that says what they do, as listed in
 * docs/architecture.md#threads.
 */
public final class Threads {
  private Threads() {}

  /** Every thread named {@code name} (single-thread pools and schedulers). */
  public static ThreadFactory named(String name) {
    return r -> daemon(r, name);
  }

  /** Threads named {@code prefix1}, {@code prefix2}, ... (pools). */
  public static ThreadFactory numbered(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> daemon(r, prefix + n.incrementAndGet());
  }

  /** Starts {@code r} on a new daemon thread called {@code name}. */
  public static Thread start(String name, Runnable r) {
    Thread t = daemon(r, name);
    t.start();
    return t;
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
