package dev.clipsearch.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Where src/scripts/setup.d/20-clients.sh installs each real client, and how the compat ITs run one. A missing install
 * fails the test (CI always runs setup first), so a broken setup step can never turn into a silently skipped check.
 */
public final class CompatClients {
  private static final ObjectMapper JSON = new ObjectMapper();

  private CompatClients() {}

  /** The latest gradio_client, the one most tests drive. */
  public static final String LATEST_PYTHON = "2.7.2";

  /** gradio_client version → its python (pinned in src/test/python/clients/gradio-client-VERSION.txt). */
  public static Path python(String version) {
    Path venv = Path.of(".cache", "venv-gradio-client-" + version).toAbsolutePath();
    return require(venv.resolve("bin").resolve("python"), "gradio_client " + version);
  }

  /** @gradio/client version → the folder holding its node_modules. */
  public static Path jsClientDir(String version) {
    Path dir = Path.of(".cache", "node", "gradio-client-" + version);
    require(dir.resolve("node_modules/@gradio/client/package.json"), "@gradio/client " + version);
    return dir.toAbsolutePath();
  }

  private static Path require(Path p, String what) {
    if (!Files.exists(p)) {
      fail(what + " is not installed (" + p.toAbsolutePath() + " missing): run src/scripts/setup.sh --test");
    }
    return p;
  }

  /**
   * Runs a client script with output to a file (a hung client cannot block us past the timeout), requires exit 0,
   * and parses the last stdout line, the script's JSON summary.
   */
  public static JsonNode runForSummary(List<String> cmd, Path workDir, int timeoutSeconds) throws IOException, InterruptedException {
    Path log = Files.createTempFile(workDir, "client", ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    // Everything is local: keep httpx/fetch off any configured proxy and huggingface_hub offline.
    env.put("NO_PROXY", "127.0.0.1,localhost");
    env.put("no_proxy", "127.0.0.1,localhost");
    env.put("HF_HUB_OFFLINE", "1");
    env.put("HF_HUB_DISABLE_TELEMETRY", "1");
    env.put("TMPDIR", Files.createDirectories(workDir.resolve("client-tmp")).toString());
    Process p = pb.start();
    boolean finished = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    if (!finished) {
      p.destroyForcibly();
    }
    String text = Files.readString(log, StandardCharsets.UTF_8);
    if (!finished) {
      fail(cmd + " timed out after " + timeoutSeconds + " s:\n" + text);
    }
    assertEquals(0, p.exitValue(), cmd + " failed:\n" + text);
    String[] lines = text.strip().split("\n");
    System.out.println(cmd.get(1) + " summary: " + lines[lines.length - 1]);
    return JSON.readTree(lines[lines.length - 1]);
  }
}
