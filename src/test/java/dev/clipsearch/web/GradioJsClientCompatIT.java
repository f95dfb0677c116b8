package dev.clipsearch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real @gradio/client 2.7.0 and 1.5.2 (npm, Node) against our server: connect, view_api, named/positional/defaulted predict,
 * submit, upload + ingest, an error. The package is installed once into .cache/node (git-ignored, outside the source
 * tree); without node/npm, or with no registry access, the test is skipped (the Python client IT is the required one).
 */
class GradioJsClientCompatIT {
  static final Path NODE_CACHE = Path.of(".cache", "node");
  static final Path SCRIPT = Path.of("src", "test", "js", "gradio_client_compat.mjs");

  @TempDir Path tmp;

  /** 2.7.0: the latest; 1.5.2: the one bundled with Gradio 4.44, which ignores api_prefix and calls root paths. */
  @ParameterizedTest
  @ValueSource(strings = {"2.7.0", "1.5.2"})
  void realJsClientRunsTheSequence(String version) throws Exception {
    Path clientDir = NODE_CACHE.resolve("gradio-client-" + version);
    assumeTrue(ensureClient(clientDir, version), "node/npm or @gradio/client@" + version + " unavailable");
    Path png = tmp.resolve("green.png");
    ImageIO.write(FakeSearchService.solid(Color.GREEN), "png", png.toFile());
    try (TestApp app = new TestApp(tmp.resolve("server"))) {
      String out = run(List.of("node", SCRIPT.toString(), clientDir.toAbsolutePath().toString(), app.base(), png.toString()), 60);
      String[] lines = out.strip().split("\n");
      JsonNode summary = Fixtures.M.readTree(lines[lines.length - 1]);
      System.out.println("@gradio/client summary: " + summary);
      assertEquals(version, summary.get("client").asText());
      assertEquals("img_0.png \u00b7 0.900", summary.get("caption").asText());
      assertEquals(3, summary.get("defaulted_len").asInt());
      assertEquals("Please enter a search query.", summary.get("error").asText());
      assertEquals(1, app.ingest.ingested.size());
      assertTrue(app.search.ks.contains(10));
    }
  }

  private static boolean ensureClient(Path clientDir, String version) throws InterruptedException {
    if (Files.isRegularFile(clientDir.resolve("node_modules/@gradio/client/package.json"))) {
      return true;
    }
    try {
      Files.createDirectories(clientDir);
      if (!Files.exists(clientDir.resolve("package.json"))) {
        Files.writeString(clientDir.resolve("package.json"), "{\"private\":true}\n");
      }
      run(List.of("npm", "install", "--prefix", clientDir.toString(), "--no-audit", "--no-fund", "@gradio/client@" + version), 120);
      return true;
    } catch (IOException | AssertionError e) {
      System.err.println("cannot install @gradio/client: " + e);
      return false;
    }
  }

  private static String run(List<String> cmd, int timeoutSeconds) throws IOException, InterruptedException {
    Path log = Files.createTempFile("gradio-js-client", ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("NO_PROXY", "127.0.0.1,localhost");
    Process p = pb.start();
    // Output goes to a file so that a hung client cannot block us past the timeout.
    boolean finished = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    if (!finished) {
      p.destroyForcibly();
    }
    String text = Files.readString(log, StandardCharsets.UTF_8);
    Files.deleteIfExists(log);
    if (!finished) {
      throw new AssertionError(cmd + " timed out:\n" + text);
    }
    assertEquals(0, p.exitValue(), cmd + " failed:\n" + text);
    return text;
  }
}
