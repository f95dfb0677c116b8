package dev.clipsearch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipsearch.testing.ServerProbes;
import dev.clipsearch.testing.SharedData;
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
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the browser tests share: the shipped jar as a server over sample photos, Debian's chromium and ui/'s
 * playwright-core (missing ones are a failure, not a skip), and a node script whose last output line is its summary.
 */
final class BrowserTests {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Path JAR = Path.of("target/clip-search.jar").toAbsolutePath();
  static final Path UI = Path.of("ui").toAbsolutePath();
  static final Path SHOTS = Path.of("target/ui-screenshots").toAbsolutePath();
  private static final Pattern URL = Pattern.compile("Running on local URL:\\s+(http://\\S+)");

  private BrowserTests() {}

  /** Chromium and playwright-core; fails, naming the setup step, when either is missing. */
  static Path chromium() {
    Path chromium = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    requireInstalled(Files.isExecutable(chromium), "chromium (" + chromium + ")");
    requireInstalled(Files.isRegularFile(UI.resolve("node_modules/playwright-core/package.json")), "ui/node_modules/playwright-core");
    assertTrue(Files.isRegularFile(JAR), JAR + " is missing: the integration tests run after `mvn package`");
    return chromium;
  }

  static void requireInstalled(boolean present, String what) {
    if (!present) {
      fail(what + " is missing: run src/scripts/setup.sh --test (it installs chromium, npm-installs ui/, builds ui/dist and "
          + "unpacks Gradio's frontend into .cache/gradio-frontend)");
    }
  }

  /** The first {@code n} ImageNet sample photos in ../shared, sorted by name. */
  static List<Path> photos(int n) throws IOException {
    try (Stream<Path> s = Files.list(SharedData.root().resolve("data/imagenet-sample"))) {
      return s.filter(p -> p.toString().endsWith(".JPEG")).sorted().limit(n).toList();
    }
  }

  /** A folder of symlinks to {@code photos}. */
  static Path imageFolder(Path dir, List<Path> photos) throws IOException {
    Files.createDirectories(dir);
    for (Path p : photos) {
      Files.createSymbolicLink(dir.resolve(p.getFileName()), p);
    }
    return dir;
  }

  /** {@code clip-search serve} with the tiny test model on a free port, ingesting {@code images} in the background. */
  static Process startServer(Path dataDir, Path images, String... extra) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0", "-jar", JAR.toString(), "serve",
        "--model", SharedData.tinyClipModel().toString(), "--data-dir", dataDir.toString(),
        "--port", "0", "--images", images.toString()));
    cmd.addAll(List.of(extra));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
    pb.environment().put("OPENBLAS_THREAD_TIMEOUT", "20");
    pb.environment().put("CLIPSRV_HOME", Path.of("").toAbsolutePath().toString());
    return pb.start();
  }

  static void stop(Process server) throws InterruptedException {
    server.destroy();
    if (!server.waitFor(30, TimeUnit.SECONDS)) {
      server.destroyForcibly();
    }
  }

  /**
   * Reads the server's output until it prints its URL, then waits for its background ingest of the folder to be
   * done (the browser checks count on every image being stored); keeps draining the output after.
   */
  static String awaitUrlAndIngest(Process server) throws Exception {
    String base = awaitUrl(server);
    ServerProbes.awaitIngestDone(base + "/", java.time.Duration.ofMinutes(4));
    return base;
  }

  /** Reads the server's output until it prints its URL (the port is open); keeps draining it after. */
  static String awaitUrl(Process server) throws Exception {
    CompletableFuture<String> url = new CompletableFuture<>();
    StringBuilder seen = new StringBuilder();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          synchronized (seen) {
            seen.append(line).append('\n');
          }
          Matcher m = URL.matcher(line);
          if (m.find()) {
            url.complete(m.group(1));
          }
        }
      } catch (IOException e) {
        // the process ended; the timeout below reports it
      }
      url.completeExceptionally(new AssertionError("server exited before serving:\n" + seen));
    }, "browser-it-server-log");
    reader.setDaemon(true);
    reader.start();
    try {
      return url.get(240, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      synchronized (seen) {
        throw new AssertionError("server did not start in 240 s:\n" + seen);
      }
    }
  }

  /** Runs a browser script; its output goes to {@code log} so a hung browser cannot block us past the timeout. */
  static JsonNode runNode(Path script, Object cfg, Path log) throws Exception {
    Process p = new ProcessBuilder("node", script.toString(), JSON.writeValueAsString(cfg)).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    boolean finished = p.waitFor(300, TimeUnit.SECONDS);
    if (!finished) {
      p.destroyForcibly();
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    assertTrue(finished, "browser script timed out:\n" + out);
    assertEquals(0, p.exitValue(), "browser script failed (screenshots so far in " + SHOTS + "):\n" + out);
    String[] lines = out.strip().split("\n");
    return JSON.readTree(lines[lines.length - 1]);
  }
}
