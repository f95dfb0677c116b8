package dev.clipsearch.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs target/clip-search.jar (built by `mvn package` before the integration tests) as users do. */
final class JarProcess {
  static final Path JAR = Path.of("target/clip-search.jar").toAbsolutePath();
  /** Far above a loaded machine's slowest start seen (a ViT-B/32 load plus a Milvus connection: under a minute). */
  static final long SERVE_TIMEOUT_S = 300;

  record Result(int exitCode, String stdout, String stderr) {}

  private JarProcess() {}

  static ProcessBuilder builder(Path workDir, String... args) {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(JAR + " is missing: the integration tests run after `mvn package`");
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.add("-Dorg.bytedeco.javacpp.maxPhysicalBytes=0");
    cmd.add("-jar");
    cmd.add(JAR.toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
    pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
    pb.environment().put("OPENBLAS_THREAD_TIMEOUT", "20");
    pb.environment().put("CLIPSRV_HOME", Path.of("").toAbsolutePath().toString());
    return pb;
  }

  static Result run(Path workDir, long timeoutSeconds, String... args) throws IOException, InterruptedException {
    Path out = Files.createTempFile(workDir, "stdout", ".txt");
    Path err = Files.createTempFile(workDir, "stderr", ".txt");
    Process p = builder(workDir, args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("clip-search " + String.join(" ", args) + " did not finish in " + timeoutSeconds
          + " s; stderr:\n" + Files.readString(err, StandardCharsets.UTF_8));
    }
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  /**
   * Reads the server's stdout until it serves; returns its URL and drains the rest in the background. A server that
   * has not served within {@link #SERVE_TIMEOUT_S} is killed, so the read ends and the test fails with its log instead
   * of hanging the whole run.
   */
  static String awaitUrl(Process server) throws IOException {
    Pattern running = Pattern.compile("Running on local URL:\\s+(http://\\S+)");
    BufferedReader lines = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder log = new StringBuilder();
    AtomicBoolean served = new AtomicBoolean();
    CompletableFuture.runAsync(() -> {
      if (!served.get()) {
        server.destroyForcibly();
      }
    }, CompletableFuture.delayedExecutor(SERVE_TIMEOUT_S, TimeUnit.SECONDS));
    for (String line; (line = lines.readLine()) != null; ) {
      log.append(line).append('\n');
      Matcher m = running.matcher(line);
      if (m.find()) {
        served.set(true);
        Thread drain = new Thread(() -> {
          try {
            lines.lines().forEach(l -> { });
          } catch (java.io.UncheckedIOException closed) {
            // the server ended and its stream was closed
          }
        }, "server-log");
        drain.setDaemon(true);
        drain.start();
        return m.group(1) + "/";
      }
    }
    throw new AssertionError("server exited (or was killed after " + SERVE_TIMEOUT_S + " s) before serving:\n" + log);
  }
}
