package dev.clipsearch.store;

import dev.clipsearch.concurrent.Threads;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains a child process's stdout and stderr on daemon threads, so the child never blocks on a full pipe. The first
 * stdout line (the launcher's JSON handshake) completes {@link #firstLine()}; stderr lines go to slf4j (warnings,
 * errors and tracebacks at WARN, the rest at DEBUG) and the last few are kept for error messages.
 */
final class ChildOutput {
  private static final Logger LOG = LoggerFactory.getLogger("dev.clipsearch.store.lite");
  private static final int KEPT_LINES = 15;

  private final CompletableFuture<String> firstLine = new CompletableFuture<>();
  private final CompletableFuture<Void> stderrClosed = new CompletableFuture<>();
  private final Deque<String> recentErr = new ArrayDeque<>();
  private final String name;

  ChildOutput(Process process, String name) {
    this.name = name;
    Threads.start(name + "-stdout", () -> pumpStdout(process.getInputStream()));
    Threads.start(name + "-stderr", () -> pumpStderr(process.getErrorStream()));
  }

  /** Completes with the first stdout line, or with null if stdout closed before one arrived. */
  CompletableFuture<String> firstLine() {
    return firstLine;
  }

  /**
   * The last stderr lines, oldest first, for an error message; empty if there were none. Call it after the child has
   * exited or been killed: it waits (briefly) for stderr to be drained, which can lag behind stdout's end.
   */
  String recentStderr() {
    try {
      stderrClosed.get(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // report what we have
    }
    synchronized (this) {
      return String.join("\n", recentErr);
    }
  }

  private void pumpStdout(InputStream in) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line = r.readLine();
      firstLine.complete(line);
      // The launcher promises silence after the handshake; anything else is a bug worth seeing, not a protocol.
      while ((line = r.readLine()) != null) {
        LOG.warn("[{}] unexpected stdout: {}", name, line);
      }
    } catch (IOException e) {
      firstLine.complete(null);
    }
  }

  private void pumpStderr(InputStream in) {
    boolean inTraceback = false;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        synchronized (this) {
          recentErr.addLast(line);
          if (recentErr.size() > KEPT_LINES) {
            recentErr.removeFirst();
          }
        }
        // A Python traceback is "Traceback ...", indented frames, then one unindented "SomeError: ..." line.
        boolean startsTraceback = line.startsWith("Traceback ");
        boolean important = startsTraceback || inTraceback || line.startsWith("WARNING") || line.startsWith("ERROR")
            || line.startsWith("CRITICAL");
        if (startsTraceback) {
          inTraceback = true;
        } else if (inTraceback && !line.startsWith(" ")) {
          inTraceback = false;
        }
        if (important) {
          LOG.warn("[{}] {}", name, line);
        } else {
          LOG.debug("[{}] {}", name, line);
        }
      }
    } catch (IOException e) {
      LOG.debug("[{}] stderr closed: {}", name, e.toString());
    } finally {
      stderrClosed.complete(null);
    }
  }
}
