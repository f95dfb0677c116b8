package dev.clipsearch.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.testing.LiteKill;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher against a real Milvus Lite: handshake, free port, clean stop, directory lock. */
class LiteLauncherIT {
  @TempDir Path tmp;

  @Test
  void servesOnLoopbackAndStopsCleanlyOnStdinEof() throws Exception {
    Path dir = tmp.resolve("lite");
    LiteLauncher lite = LiteSupport.startLite(dir);
    long pid = lite.pid();
    try {
      URI uri = URI.create(lite.uri());
      assertEquals("127.0.0.1", uri.getHost());
      assertTrue(uri.getPort() > 0);
      assertTrue(lite.version().startsWith("3."), lite.version());
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", uri.getPort()), 2000);
      }
      System.out.printf("[measure] Milvus Lite %s start-up: %d ms%n", lite.version(), lite.startupTime().toMillis());
    } finally {
      long t0 = System.nanoTime();
      lite.close();
      long stopMs = (System.nanoTime() - t0) / 1_000_000;
      // closing stdin is the first and gentle step; the SIGTERM fallback would only start after 6 s
      assertTrue(stopMs < 6000, "stop took " + stopMs + " ms, so stdin EOF did not stop the child");
      System.out.printf("[measure] Milvus Lite stop: %d ms%n", stopMs);
    }
    assertFalse(lite.isAlive());
    Optional<ProcessHandle> left = ProcessHandle.of(pid);
    assertTrue(left.isEmpty() || !left.get().isAlive());
    lite.close(); // idempotent

    // the lock was released: the same directory can be served again
    try (LiteLauncher again = LiteSupport.startLite(dir)) {
      assertTrue(again.isAlive());
    }
  }

  @Test
  void secondLauncherOnTheSameDirectoryIsToldItIsLocked() throws Exception {
    Path dir = tmp.resolve("shared");
    try (LiteLauncher first = LiteSupport.startLite(dir)) {
      StoreException e = assertThrows(StoreException.class, () -> LiteSupport.startLite(dir));
      assertTrue(e.getMessage().startsWith("another clip-search is using " + dir.toAbsolutePath()), e.getMessage());
      assertTrue(first.isAlive(), "the first server must be unaffected");

      // SIGTERM (close()'s second resort) also stops it cleanly and releases the lock
      LiteKill.terminate(first);
      assertTrue(String.valueOf(first.exitReport()).contains("exited with code 0"), first.exitReport());
    }
    try (LiteLauncher again = LiteSupport.startLite(dir)) {
      assertTrue(again.isAlive());
    }
  }

  @Test
  void theChildStopsWhenItsJvmIsKilled() throws Exception {
    Path dir = tmp.resolve("orphan");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process jvm = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        LiteOrphanMain.class.getName(), dir.toString(), LiteSupport.python()).redirectErrorStream(true).start();
    long litePid = -1;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        if (line.startsWith("lite-pid ")) {
          litePid = Long.parseLong(line.substring(9).strip());
          break;
        }
      }
      assertTrue(litePid > 0, "the child JVM did not start Lite");
      jvm.destroyForcibly(); // SIGKILL: no shutdown hooks, no close(); only the OS closing its pipes
      jvm.waitFor();
      ProcessHandle lite = ProcessHandle.of(litePid).orElse(null);
      if (lite != null) {
        lite.onExit().get(15, TimeUnit.SECONDS); // stdin EOF makes the launcher stop the server
      }
    } finally {
      jvm.destroyForcibly();
      if (litePid > 0) {
        ProcessHandle.of(litePid).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
    try (LiteLauncher again = LiteSupport.startLite(dir)) {
      assertTrue(again.isAlive(), "the orphan released the data directory lock");
    }
  }
}
