package dev.clipsearch.store;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads the launcher script's one-line JSON answer and turns every way it can go wrong into a {@link StoreException}
 * that says what to do. A child that failed is always gone when this throws.
 */
final class LiteHandshake {
  static final String PIP_HINT = "pip install \"pymilvus[milvus-lite]\"";

  record Answer(String uri, String version) {}

  private LiteHandshake() {}

  static Answer await(Process p, String python, Path dir, Duration timeout) {
    ChildOutput out = new ChildOutput(p, "milvus-lite-" + p.pid());
    String line;
    try {
      line = out.firstLine().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      kill(p);
      throw new StoreException("Milvus Lite did not start within " + timeout.toSeconds() + " s (Python '" + python
          + "', data dir " + dir + ")" + tail(out), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill(p);
      throw new StoreException("interrupted while starting Milvus Lite", e);
    } catch (ExecutionException e) {
      kill(p);
      throw new StoreException("cannot read from the Milvus Lite launcher", e.getCause());
    }
    if (line == null) {
      int code = waitExit(p);
      throw new StoreException("the Milvus Lite launcher (Python '" + python + "') exited with code " + code
          + " before it was ready" + tail(out));
    }
    JsonObject msg;
    try {
      msg = JsonParser.parseString(line).getAsJsonObject();
    } catch (RuntimeException e) {
      kill(p);
      throw new StoreException("the Milvus Lite launcher answered '" + line + "' instead of its JSON handshake"
          + tail(out), e);
    }
    if (msg.has("error")) {
      waitExit(p);
      String error = msg.get("error").getAsString();
      String kind = msg.has("kind") ? msg.get("kind").getAsString() : "failed";
      throw new StoreException(switch (kind) {
        case "locked" -> "another clip-search is using " + dir + " (Milvus Lite: " + error + "); stop it, or use "
            + "another data directory";
        case "missing" -> "Milvus Lite is not installed for Python '" + python + "' (" + error + "); run "
            + "src/scripts/setup.sh, or install it with " + PIP_HINT + ", or set MILVUS_LITE_PYTHON";
        default -> "Milvus Lite could not start on " + dir + ": " + error;
      });
    }
    if (!msg.has("uri")) {
      kill(p);
      throw new StoreException("the Milvus Lite launcher's handshake has no uri: " + line);
    }
    return new Answer(msg.get("uri").getAsString(), msg.has("version") ? msg.get("version").getAsString() : "unknown");
  }

  /** SIGKILL, then wait briefly so the data directory lock is released before we report. */
  static void kill(Process p) {
    p.destroyForcibly();
    try {
      p.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int waitExit(Process p) {
    try {
      if (p.waitFor(5, TimeUnit.SECONDS)) {
        return p.exitValue();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    kill(p);
    return -1;
  }

  private static String tail(ChildOutput out) {
    String err = out.recentStderr();
    return err.isEmpty() ? "" : "; its last output:\n" + err;
  }
}
