package dev.clipsearch.store;

import java.nio.file.Path;
import java.time.Duration;

/** A JVM that starts Milvus Lite and then waits to be killed; {@link LiteLauncherIT} kills it with SIGKILL. */
public final class LiteOrphanMain {
  private LiteOrphanMain() {}

  public static void main(String[] args) throws InterruptedException {
    LiteLauncher lite = LiteLauncher.start(Path.of(args[0]), args[1], Duration.ofSeconds(60));
    System.out.println("lite-pid " + lite.pid());
    System.out.flush();
    Thread.sleep(120_000);
  }
}
