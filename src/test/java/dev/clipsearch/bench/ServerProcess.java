package dev.clipsearch.bench;

import dev.clipsearch.testing.ServerProbes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code clip-search serve} as a child process on a free port, with an empty collection in a temporary data dir, the
 * text vector cache off (every query must reach the model) and metrics logged only at shutdown. Its stderr is kept so
 * the driver can report the server's own batch-size summary.
 *
 * <p>Threading: one daemon thread pumps the child's output; {@link #lines()} is safe to read from any thread.
 */
final class ServerProcess implements AutoCloseable {
  private final Process process;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final int port;

  ServerProcess(Path jar, Path model, Path dataDir, List<String> extraFlags) throws IOException, InterruptedException {
    this.port = freePort();
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0", "-jar", jar.toString(), "serve", "--model", model.toString(),
        "--data-dir", dataDir.toString(), "--port", Integer.toString(port), "--metrics-log-s", "0"));
    cmd.addAll(extraFlags);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
    pb.environment().put("OPENBLAS_THREAD_TIMEOUT", "20");
    pb.environment().put("CLIPSRV_TEXT_CACHE", "0");
    pb.environment().put("CLIPSRV_HOME", Path.of("").toAbsolutePath().toString());
    process = pb.start();
    CountDownLatch ready = new CountDownLatch(1);
    Thread pump = new Thread(() -> pump(ready), "server-output");
    pump.setDaemon(true);
    pump.start();
    if (!ready.await(240, TimeUnit.SECONDS) || !process.isAlive()) {
      close();
      throw new IllegalStateException("server did not start; last output:\n" + String.join("\n", tail(30)));
    }
    if (extraFlags.contains("--images")) {
      ServerProbes.awaitIngestDone(url() + "/", java.time.Duration.ofHours(2)); // measure on the whole folder stored
    }
  }

  private void pump(CountDownLatch ready) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        lines.add(line);
        if (line.contains("Running on local URL")) {
          ready.countDown();
        }
      }
    } catch (IOException e) {
      lines.add("(output lost: " + e + ")");
    } finally {
      ready.countDown();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  long pid() {
    return process.pid();
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  List<String> lines() {
    return lines;
  }

  List<String> tail(int n) {
    return lines.subList(Math.max(0, lines.size() - n), lines.size());
  }

  /** SIGTERM (the server's shutdown hook logs the final metrics lines), then waits. */
  @Override
  public void close() throws InterruptedException {
    process.toHandle().destroy(); // Process.destroy() would also close our end of its output and lose the last lines
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    Thread.sleep(200); // let the pump read the last lines
  }
}
