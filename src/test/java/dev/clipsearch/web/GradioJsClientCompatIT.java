package dev.clipsearch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipsearch.testing.CompatClients;
import java.awt.Color;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real @gradio/client (npm, run by Node) against our server, over the fakes: connect, view_api, named /
 * positional / defaulted predict, iterating submit, upload + ingest and upload + search_image with handle_file, an
 * error. Versions (installed by src/scripts/setup.d/20-clients.sh from committed lock files): 2.7.0 (latest) and 1.5.2
 * (Gradio 4.44's, which ignores api_prefix and calls root paths).
 */
class GradioJsClientCompatIT {
  static final Path SCRIPT = Path.of("src", "test", "js", "gradio_client_compat.mjs");

  @TempDir Path tmp;

  @ParameterizedTest(name = "@gradio/client {0}")
  @ValueSource(strings = {"2.7.0", "1.5.2"})
  void realJsClientRunsTheSequence(String version) throws Exception {
    Path clientDir = CompatClients.jsClientDir(version);
    Path png = tmp.resolve("green.png");
    ImageIO.write(FakeSearchService.solid(Color.GREEN), "png", png.toFile());
    try (TestApp app = new TestApp(tmp.resolve("server"))) {
      JsonNode summary = CompatClients.runForSummary(
          List.of("node", SCRIPT.toString(), clientDir.toString(), app.base(), png.toString()), tmp, 60);
      assertEquals(version, summary.get("client").asText());
      assertEquals("img_0.png \u00b7 0.900", summary.get("caption").asText());
      assertEquals(3, summary.get("defaulted_len").asInt());
      assertEquals("Please enter a search query.", summary.get("error").asText());
      assertEquals(1, app.ingest.ingested.size());
      assertTrue(app.search.ks.contains(10), "a keyword call without top_k uses parameter_default 10");
      assertEquals(2, summary.get("by_image_len").asInt());
      assertTrue(app.search.queries.contains("image query"), "search_image reached the service");
    }
  }
}
