package dev.clipsearch.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Python gradio_client (2.7.2, from .cache/venv) against our server on a free port, over the fakes: connect,
 * view_api, positional/keyword predict with file downloads, submit, concurrent submits on one session, upload + ingest,
 * search_image, U+2028/U+0085 in a query, AppError with our message, download_files=False.
 * The Python side asserts the client-visible behaviour; this side checks what reached the server and the files.
 */
class GradioClientCompatIT {
  static final Path PYTHON = Path.of(".cache", "venv", "bin", "python");
  /**
   * Optional: the 4.x-era client (Gradio 4.44's), which ignores api_prefix and reads the stream with iter_lines (the
   * U+2028 pitfall). Not created by setup.sh; make it with
   * {@code python3 -m venv .cache/venv-gradio-client-1.3.0 && .cache/venv-gradio-client-1.3.0/bin/pip install gradio_client==1.3.0}.
   */
  static final Path PYTHON_1_3 = Path.of(".cache", "venv-gradio-client-1.3.0", "bin", "python");
  static final Path SCRIPT = Path.of("src", "test", "python", "gradio_client_compat.py");

  @TempDir Path tmp;

  @Test
  void realPythonClientRunsTheWholeSequence() throws Exception {
    if (!Files.isExecutable(PYTHON)) {
      fail("Python venv with gradio_client not found at " + PYTHON.toAbsolutePath() + ": run src/scripts/setup.sh first");
    }
    runSequence(PYTHON, "2.7.2");
  }

  @Test
  void gradio4EraPythonClientWorksThroughTheRootAliases() throws Exception {
    assumeTrue(Files.isExecutable(PYTHON_1_3), "optional venv " + PYTHON_1_3 + " not present");
    runSequence(PYTHON_1_3, "1.3.0");
  }

  private void runSequence(Path python, String version) throws Exception {
    Path png = tmp.resolve("upload me.png");
    ImageIO.write(FakeSearchService.solid(Color.BLUE), "png", png.toFile());
    try (TestApp app = new TestApp(tmp.resolve("server"))) {
      JsonNode summary = runClient(python, app.base(), png);
      assertEquals(version, summary.get("gradio_client").asText());

      JsonNode downloaded = summary.get("downloaded");
      for (int i = 0; i < 2; i++) {
        assertArrayEquals(Files.readAllBytes(app.search.images.get(i)), Files.readAllBytes(Path.of(downloaded.get(i).asText())),
            "downloaded file " + i + " must equal the served image");
      }
      assertEquals("img_0.png \u00b7 0.900", summary.get("captions").get(0).asText());
      assertEquals(3, summary.get("keyword_len").asInt());
      assertTrue(app.search.ks.contains(10), "keyword call without top_k uses parameter_default 10");
      assertEquals(List.of(1, 2, 3, 1, 2, 3), ints(summary.get("concurrent_lens")));
      // 1.3.0 prefixes AppError texts with "The upstream Gradio app has raised an exception: ".
      String appError = summary.get("app_error").asText();
      assertTrue(version.startsWith("1.") ? appError.endsWith(": Please enter a search query.") : appError.equals("Please enter a search query."), appError);
      assertTrue(summary.get("unknown_api_error").asText().contains("/nosuch"));
      assertTrue(app.search.queries.contains("dog\u2028cat\u0085caf\u00e9"), "query arrives intact");

      assertEquals(1, app.ingest.ingested.size());
      Path ingested = app.ingest.ingested.get(0);
      assertTrue(ingested.startsWith(app.uploads.toRealPath()), ingested.toString());
      assertEquals("upload_me.png", ingested.getFileName().toString());
      assertArrayEquals(Files.readAllBytes(png), Files.readAllBytes(ingested));

      JsonNode raw = summary.get("raw_item").get("image");
      assertEquals(app.base() + "/gradio_api/file=" + app.search.images.get(0), raw.get("url").asText());
      assertEquals("gradio.FileData", raw.get("meta").get("_type").asText());
    }
  }

  private JsonNode runClient(Path python, String base, Path png) throws IOException, InterruptedException {
    Path log = tmp.resolve("client.log");
    ProcessBuilder pb = new ProcessBuilder(python.toString(), SCRIPT.toString(), base, png.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    // Keep httpx off any configured proxy and huggingface_hub offline: everything here is local.
    pb.environment().put("NO_PROXY", "127.0.0.1,localhost");
    pb.environment().put("no_proxy", "127.0.0.1,localhost");
    pb.environment().put("HF_HUB_OFFLINE", "1");
    pb.environment().put("HF_HUB_DISABLE_TELEMETRY", "1");
    pb.environment().put("TMPDIR", Files.createDirectories(tmp.resolve("pytmp")).toString());
    Process p = pb.start();
    // Output goes to a file so that a hung client cannot block us past the timeout.
    boolean finished = p.waitFor(60, TimeUnit.SECONDS);
    if (!finished) {
      p.destroyForcibly();
    }
    String text = Files.readString(log, StandardCharsets.UTF_8);
    if (!finished) {
      fail("gradio_client run timed out:\n" + text);
    }
    assertEquals(0, p.exitValue(), "gradio_client run failed:\n" + text);
    String[] lines = text.strip().split("\n");
    System.out.println("gradio_client summary: " + lines[lines.length - 1]);
    return Fixtures.M.readTree(lines[lines.length - 1]);
  }

  private static List<Integer> ints(JsonNode arr) {
    List<Integer> out = new ArrayList<>();
    arr.forEach(n -> out.add(n.asInt()));
    return out;
  }
}
