package dev.clipsearch.testing;

import dev.clipsearch.store.LiteLauncher;
import java.util.concurrent.TimeUnit;

/**
 * Kills a store's Milvus Lite child and returns once the launcher itself sees it dead. Waiting on a
 * {@link ProcessHandle}'s {@code onExit()} is not enough: the JDK completes it and the launcher's {@link Process}
 * exit state from the same reaper event through separate callbacks, in no set order, so a test that asserts what the
 * store does next could still find the child "alive" and wait out a gRPC deadline instead.
 */
public final class LiteKill {
  private LiteKill() {}

  /** SIGKILL. */
  public static void kill(LiteLauncher lite) throws Exception {
    stop(lite, true);
  }

  /** SIGTERM. */
  public static void terminate(LiteLauncher lite) throws Exception {
    stop(lite, false);
  }

  private static void stop(LiteLauncher lite, boolean forcibly) throws Exception {
    ProcessHandle child = ProcessHandle.of(lite.pid()).orElseThrow(() -> new AssertionError("Lite already gone"));
    if (forcibly) {
      child.destroyForcibly();
    } else {
      child.destroy();
    }
    child.onExit().get(30, TimeUnit.SECONDS);
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (lite.isAlive()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("the launcher did not see its child " + lite.pid() + " exit");
      }
      Thread.sleep(5);
    }
  }
}
