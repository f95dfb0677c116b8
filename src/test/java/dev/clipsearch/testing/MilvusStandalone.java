package dev.clipsearch.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/**
 * A real Milvus standalone (PyPI package {@code milvus} 2.3.5, installed by src/scripts/setup.d/50-milvus-server.sh)
 * with authorisation on, run by src/test/python/milvus_standalone.py on free loopback ports.
 *
 * <p>{@link #shared()} is the one server of a test JVM (failsafe runs every IT in one JVM): started on first use,
 * stopped by a shutdown hook. It cannot outlive the JVM either way: the launcher stops the server when its stdin
 * (held by this JVM) closes, and the kernel kills the server when the launcher dies (PR_SET_PDEATHSIG). A server
 * that cannot start fails the test with the reason; the server tier is never skipped.
 *
 * <p>Tests that kill the server ({@link #kill9()}) must {@link #restart()} it; the restart keeps the data and the
 * ports, so clients configured with {@link #uri()} reconnect by themselves.
 */
public final class MilvusStandalone implements AutoCloseable {
  public static final String ROOT_TOKEN = "root:Milvus";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static MilvusStandalone shared;

  private final Path dataDir;
  private String portsJson;
  private String uri;
  private Process launcher;
  private long serverPid;
  private double startSeconds;

  private MilvusStandalone(Path dataDir) {
    this.dataDir = dataDir;
  }

  /** The JVM's one server, started on first call. */
  public static synchronized MilvusStandalone shared() {
    if (shared == null) {
      try {
        MilvusStandalone s = new MilvusStandalone(Files.createTempDirectory("clip-search-milvus-standalone-"));
        s.start();
        Runtime.getRuntime().addShutdownHook(new Thread(s::close, "milvus-standalone-stop"));
        System.out.printf("[measure] Milvus standalone %s started in %.1f s (launcher's figure)%n", s.uri,
            s.startSeconds);
        shared = s;
      } catch (IOException e) {
        throw new IllegalStateException("cannot make a data directory for the Milvus standalone", e);
      }
    }
    return shared;
  }

  /** {@code http://127.0.0.1:PORT}: the gRPC endpoint. */
  public String uri() {
    return uri;
  }

  /** The {@code milvus run standalone} process. */
  public long serverPid() {
    return serverPid;
  }

  /** SIGKILL to the server process (not the launcher, which then exits by itself). */
  public synchronized void kill9() throws Exception {
    ProcessHandle server = ProcessHandle.of(serverPid).orElseThrow(() -> new AssertionError("server not running"));
    server.destroyForcibly();
    server.onExit().get(30, TimeUnit.SECONDS);
    launcher.waitFor(30, TimeUnit.SECONDS);
  }

  /** Starts the server again on the same data and ports (after {@link #kill9()}, or a failed start). */
  public synchronized void restart() {
    stopLauncher();
    start();
  }

  private void start() {
    Path repo = Path.of("").toAbsolutePath(); // tests run in the repository root
    Path python = repo.resolve(".cache/venv-milvus-server/bin/python");
    Path bin = repo.resolve(".cache/milvus-server-2.3.5");
    if (!Files.isExecutable(python) || !Files.isExecutable(bin.resolve("bin/milvus"))) {
      throw new IllegalStateException("the Milvus standalone for the server-tier tests is not installed (" + python
          + ", " + bin + "): run src/scripts/setup.sh");
    }
    List<String> cmd = new ArrayList<>(List.of(python.toString(),
        repo.resolve("src/test/python/milvus_standalone.py").toString(), "--data", dataDir.toString(),
        "--bin", bin.toString(), "--auth"));
    if (portsJson != null) {
      cmd.addAll(List.of("--ports", portsJson));
    }
    try {
      launcher = new ProcessBuilder(cmd).redirectError(dataDir.resolve("launcher.log").toFile()).start();
      BufferedReader out = new BufferedReader(new InputStreamReader(launcher.getInputStream(),
          StandardCharsets.UTF_8));
      String line = CompletableFuture.supplyAsync(() -> {
        try {
          return out.readLine();
        } catch (IOException e) {
          return null;
        }
      }).get(240, TimeUnit.SECONDS);
      if (line == null) {
        throw new IllegalStateException("the Milvus standalone launcher exited without answering; its log:\n"
            + Files.readString(dataDir.resolve("launcher.log")));
      }
      JsonNode answer = JSON.readTree(line);
      if (answer.has("error")) {
        throw new IllegalStateException("the Milvus standalone did not start: " + answer.get("error").asText()
            + "\n" + answer.path("log_tail").asText());
      }
      uri = answer.get("uri").asText();
      portsJson = answer.get("ports").toString();
      serverPid = answer.get("pid").asLong();
      startSeconds = answer.get("start_s").asDouble();
    } catch (IllegalStateException e) {
      stopLauncher();
      throw e;
    } catch (Exception e) {
      stopLauncher();
      throw new IllegalStateException("the Milvus standalone did not start within 240 s: " + e, e);
    }
  }

  private void stopLauncher() {
    if (launcher == null) {
      return;
    }
    try {
      launcher.getOutputStream().close(); // EOF: the launcher stops the server (SIGTERM, then SIGKILL after 20 s)
      if (!launcher.waitFor(30, TimeUnit.SECONDS)) {
        launcher.destroyForcibly(); // the kernel then kills the server too (PR_SET_PDEATHSIG)
        launcher.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (IOException e) {
      launcher.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      launcher.destroyForcibly();
    }
    ProcessHandle.of(serverPid).filter(p -> p.info().commandLine().orElse("").contains("milvus run standalone"))
        .ifPresent(ProcessHandle::destroyForcibly); // belt and braces
    launcher = null;
  }

  /** Stops the server and deletes its data. */
  @Override
  public synchronized void close() {
    stopLauncher();
    try (java.util.stream.Stream<Path> files = Files.walk(dataDir)) {
      for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    } catch (IOException e) {
      System.err.println("could not delete " + dataDir + ": " + e);
    }
  }
}
