package dev.clipsearch.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipsearch.testing.CompatClients;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Python gradio_client in every supported version against our server on a free port, over the fakes:
 * connect, view_api, positional/keyword predict with file downloads, submit, concurrent submits on one session,
 * upload + ingest and upload + search_image (handle_file), U+2028/U+0085 in a query and in a result, AppError with our
 * message, download_files=False. The Python side asserts the client-visible behaviour; this side checks what reached
 * the server and the files. Versions (installed by src/scripts/setup.d/20-clients.sh):
 * 2.7.2 (latest), 1.13.3 (latest 1.13, Gradio 5's) and 1.3.0 (Gradio 4.44's: ignores api_prefix, so it only works
 * through the root aliases, and splits the stream with iter_lines, so it breaks on raw U+2028 in a frame).
 */
class GradioClientCompatIT {
  static final Path SCRIPT = Path.of("src", "test", "python", "gradio_client_compat.py");

  @TempDir Path tmp;

  @ParameterizedTest(name = "gradio_client {0}")
  @ValueSource(strings = {"2.7.2", "1.13.3", "1.3.0"})
  void realPythonClientRunsTheWholeSequence(String version) throws Exception {
    runSequence(CompatClients.python(version), version);
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
      // 1.3.0 prefixes AppError texts with "The upstream Gradio app has raised an exception: "; later ones do not.
      String appError = summary.get("app_error").asText();
      assertTrue(version.equals("1.3.0") ? appError.endsWith(": Please enter a search query.") : appError.equals("Please enter a search query."), appError);
      assertTrue(summary.get("unknown_api_error").asText().contains("/nosuch"));
      assertTrue(app.search.queries.contains("dog\u2028cat\u0085caf\u00e9"), "query arrives intact");

      assertEquals(1, app.ingest.ingested.size());
      assertEquals(List.of("blue"), app.ingest.captions, "the caption given to /ingest reaches the service");
      Path ingested = app.ingest.ingested.get(0);
      assertTrue(ingested.startsWith(app.uploads.toRealPath()), ingested.toString());
      assertEquals("upload_me.png", ingested.getFileName().toString());
      assertArrayEquals(Files.readAllBytes(png), Files.readAllBytes(ingested));
      // search_image decoded the uploaded bytes (the fake records its image searches under this query).
      assertTrue(app.search.queries.contains("image query"), "search_image reached the service");
      assertEquals(2, summary.get("by_image_len").asInt());

      JsonNode raw = summary.get("raw_item").get("image");
      assertEquals(app.base() + "/gradio_api/file=" + app.search.images.get(0), raw.get("url").asText());
      assertEquals("gradio.FileData", raw.get("meta").get("_type").asText());
    }
  }

  private JsonNode runClient(Path python, String base, Path png) throws IOException, InterruptedException {
    return CompatClients.runForSummary(List.of(python.toString(), SCRIPT.toString(), base, png.toString()), tmp, 90);
  }

  private static List<Integer> ints(JsonNode arr) {
    List<Integer> out = new ArrayList<>();
    arr.forEach(n -> out.add(n.asInt()));
    return out;
  }
}
