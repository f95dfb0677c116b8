package dev.clipsearch.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an embedded Milvus Lite 3.x server as a child Python process on a free loopback port (docs/storage.md,
 * "The Milvus Lite child process": the Java SDK has no local-file URI support, so we do what pymilvus does, one process
 * away). The child runs the {@code milvus/lite_launcher.py} resource, which answers with one JSON line and then serves
 * until stdin closes or it gets SIGTERM (it ignores SIGINT, so a terminal Ctrl-C lets clip-search finish its last write
 * first). Because this object holds the child's stdin, a JVM that dies, even by kill -9, stops the child.
 *
 * <p>One launcher per data directory: Lite locks the directory, and a second launcher fails with "another clip-search
 * is using DIR". Thread-safe; {@link #close()} is idempotent.
 */
public final class LiteLauncher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LiteLauncher.class);
  private static final String SCRIPT_RESOURCE = "/milvus/lite_launcher.py";
  /** After stdin EOF the launcher drains RPCs for up to 2 s (server.stop(grace=2)) and closes the database. */
  private static final Duration STOP_GRACE = Duration.ofSeconds(6);

  private final Process process;
  private final Path dataDir;
  private final String uri;
  private final String version;
  private final Duration startupTime;
  private volatile boolean closing;

  private LiteLauncher(Process process, Path dataDir, String uri, String version, Duration startupTime) {
    this.process = process;
    this.dataDir = dataDir;
    this.uri = uri;
    this.version = version;
    this.startupTime = startupTime;
    process.onExit().thenAccept(p -> {
      if (!closing) {
        LOG.warn("Milvus Lite (pid {}) exited unexpectedly with code {}; the vector store is unavailable until it "
            + "is restarted", p.pid(), p.exitValue());
      }
    });
  }

  /**
   * The Python to run Lite with when the user configured none: {@code <repoRoot>/.cache/venv/bin/python} (made by
   * src/scripts/setup.sh) if it exists, else {@code $MILVUS_LITE_PYTHON}, else {@code python3} from the PATH.
   */
  public static String defaultPython(Path repoRoot, Map<String, String> env) {
    Path venv = repoRoot.resolve(".cache/venv/bin/python");
    if (Files.isExecutable(venv)) {
      return venv.toAbsolutePath().toString();
    }
    String fromEnv = env.get("MILVUS_LITE_PYTHON");
    return fromEnv != null && !fromEnv.isBlank() ? fromEnv.strip() : "python3";
  }

  /**
   * Starts Lite on {@code dataDir} (created if missing) and waits for it to serve.
   *
   * @throws StoreException with a user-facing reason: Python missing, milvus_lite not installed, directory locked by
   *     another process, or no answer within {@code startTimeout}
   */
  public static LiteLauncher start(Path dataDir, String python, Duration startTimeout) {
    Path dir = dataDir.toAbsolutePath().normalize();
    if (Files.isRegularFile(dir)) {
      throw new StoreException(dir + " is a file, but Milvus Lite 3 keeps its data in a directory (a .db file from "
          + "Milvus Lite 2.x cannot be read by Lite 3); choose another path");
    }
    long t0 = System.nanoTime();
    Path script = extractScript();
    Process p;
    try {
      ProcessBuilder pb = new ProcessBuilder(List.of(python, script.toString(), dir.toString()));
      pb.environment().put("PYTHONUNBUFFERED", "1");
      p = pb.start();
    } catch (IOException e) {
      deleteQuietly(script);
      throw new StoreException("cannot run Python '" + python + "' for the embedded Milvus Lite (" + e.getMessage()
          + "); run src/scripts/setup.sh, or set MILVUS_LITE_PYTHON to a Python with " + LiteHandshake.PIP_HINT, e);
    }
    LiteHandshake.Answer answer;
    try {
      answer = LiteHandshake.await(p, python, dir, startTimeout);
    } finally {
      deleteQuietly(script); // Python has read the script once it has answered (or been killed)
    }
    LiteLauncher launcher = new LiteLauncher(p, dir, answer.uri(), answer.version(),
        Duration.ofNanos(System.nanoTime() - t0));
    LOG.info("Milvus Lite {} serving {} at {} (pid {}, started in {} ms)", launcher.version, dir, launcher.uri,
        p.pid(), launcher.startupTime.toMillis());
    return launcher;
  }

  /** The gRPC endpoint, {@code http://127.0.0.1:PORT}. */
  public String uri() {
    return uri;
  }

  /** The milvus-lite package version, e.g. {@code 3.2.2}. */
  public String version() {
    return version;
  }

  public Path dataDir() {
    return dataDir;
  }

  public long pid() {
    return process.pid();
  }

  /** From process start to the handshake line. */
  public Duration startupTime() {
    return startupTime;
  }

  /**
   * Runs {@code action} (on a JDK thread) when the child exits without {@link #close()} having been called: the store
   * uses it to restart Lite even when no request comes to notice the death.
   */
  public void onUnexpectedExit(Runnable action) {
    process.onExit().thenRun(() -> {
      if (!closing) {
        action.run();
      }
    });
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Null while the server runs; otherwise what happened to it, for an error message. */
  public String exitReport() {
    if (process.isAlive()) {
      return null;
    }
    return "the embedded Milvus Lite process (pid " + process.pid() + ") " + (closing ? "was stopped"
        : "exited with code " + process.exitValue());
  }

  /**
   * Stops the server: closes its stdin (a clean stop that releases the data directory lock), then after a grace period
   * sends SIGTERM, and finally SIGKILL. Lite's write-ahead log makes even the last resort lose no acknowledged write.
   */
  @Override
  public synchronized void close() {
    closing = true;
    if (!process.isAlive()) {
      return;
    }
    try {
      process.getOutputStream().close();
      if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("Milvus Lite (pid {}) did not stop on stdin EOF; sending SIGTERM", process.pid());
        process.destroy();
        if (!process.waitFor(3, TimeUnit.SECONDS)) {
          LOG.warn("Milvus Lite (pid {}) ignored SIGTERM; killing it", process.pid());
          LiteHandshake.kill(process);
        }
      }
      LOG.info("Milvus Lite (pid {}) stopped, exit code {}", process.pid(), process.exitValue());
    } catch (IOException e) {
      LiteHandshake.kill(process);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LiteHandshake.kill(process);
    }
  }

  private static Path extractScript() {
    try (InputStream in = LiteLauncher.class.getResourceAsStream(SCRIPT_RESOURCE)) {
      if (in == null) {
        throw new StoreException("resource " + SCRIPT_RESOURCE + " is missing from the build");
      }
      Path f = Files.createTempFile("clip-search-lite-", ".py");
      Files.copy(in, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      return f;
    } catch (IOException e) {
      throw new StoreException("cannot write the Milvus Lite launcher script to the temp directory", e);
    }
  }

  private static void deleteQuietly(Path f) {
    try {
      Files.deleteIfExists(f);
    } catch (IOException e) {
      LOG.debug("could not delete {}: {}", f, e.toString());
    }
  }
}
