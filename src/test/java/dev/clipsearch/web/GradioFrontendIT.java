package dev.clipsearch.web;

import static dev.clipsearch.web.BrowserTests.SHOTS;
import static dev.clipsearch.web.BrowserTests.UI;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipsearch.gradio.ConfigBuilder;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gradio's own frontend (the gradio wheels' builds, unpacked by src/scripts/setup.d/35-gradio-frontend.sh) against
 * the shipped jar, in Debian's headless chromium (src/test/js/gradio_frontend.mjs): the app embedded with
 * {@code <gradio-app>} in a page of a second origin under a sub-path (text search, image search, an error toast; the
 * 4.x and 6.x frontends too), {@code serve --ui gradio}, and {@code --cors-origin}. Every scenario must end with no
 * request to the servers failed or answered 4xx/5xx. Screenshots: target/ui-screenshots/gradio-*.png.
 */
class GradioFrontendIT {
  private static final Path SCRIPT = Path.of("src/test/js/gradio_frontend.mjs").toAbsolutePath();
  private static final Path FRONTENDS = Path.of(".cache/gradio-frontend").toAbsolutePath();
  /** The server's own version first: the full embed scenario runs on it. */
  private static final List<String> VERSIONS = List.of(ConfigBuilder.VERSION, "4.44.1", "6.25.0");
  /** A name that is not localhost, so that only --cors-origin can grant it (chromium maps it to 127.0.0.1). */
  private static final String ALLOWED_HOST = "embed.test";
  private static final int K = 10;

  @TempDir Path tmp;

  @Test
  void embeddedAndStandaloneGradioFrontendsSearchWithNoFailedRequest() throws Exception {
    Path chromium = BrowserTests.chromium();
    Map<String, String> frontends = new LinkedHashMap<>();
    for (String v : VERSIONS) {
      Path dir = FRONTENDS.resolve(v).resolve("frontend");
      BrowserTests.requireInstalled(Files.isRegularFile(dir.resolve("gradio.js")), "Gradio " + v + "'s frontend (" + dir + ")");
      frontends.put(v, dir.toRealPath().toString());
    }
    List<Path> photos = BrowserTests.photos(12);
    Path images = BrowserTests.imageFolder(tmp.resolve("images"), photos);
    Files.createDirectories(SHOTS);
    int hostPort = freePort();

    // Both at once: each spends most of its start loading the model and ingesting.
    Process defaults = BrowserTests.startServer(tmp.resolve("data-default"), images);
    Process gradio = BrowserTests.startServer(tmp.resolve("data-gradio"), images, "--ui", "gradio",
        "--cors-origin", "http://" + ALLOWED_HOST + ":" + hostPort);
    try {
      Map<String, Object> cfg = new LinkedHashMap<>();
      cfg.put("playwright", UI.toString());
      cfg.put("chromium", chromium.toString());
      cfg.put("shots", SHOTS.toString());
      cfg.put("k", K);
      cfg.put("probe", images.resolve(photos.get(3).getFileName()).toString());
      cfg.put("probeName", photos.get(3).getFileName().toString());
      cfg.put("hostPort", hostPort);
      cfg.put("allowedHost", ALLOWED_HOST);
      cfg.put("frontends", frontends);
      cfg.put("defaultServer", BrowserTests.awaitUrlAndIngest(defaults));
      cfg.put("gradioServer", BrowserTests.awaitUrlAndIngest(gradio));
      JsonNode summary = BrowserTests.runNode(SCRIPT, cfg, tmp.resolve("browser.log"));
      System.out.println("Gradio frontend summary: " + summary);
      System.out.printf("page weight to idle: --ui gradio %,d B, --ui default %,d B%n",
          summary.get("gradioPageBytes").asLong(), summary.get("defaultPageBytes").asLong());

      JsonNode scenarios = summary.get("scenarios");
      for (String name : List.of("embed-5.49.1", "embed-4.44.1", "embed-6.25.0", "ui-gradio", "embed-cors-origin", "ui-default")) {
        assertTrue(scenarios.has(name), "scenario " + name + " ran: " + summary);
        assertEquals(0, scenarios.get(name).get("failed").size(), name + ": " + scenarios.get(name));
      }
      assertEquals(K, summary.get("textResults").asInt());
      assertEquals(K, summary.get("imageResults").asInt());
      // What makes the embedded app look like Gradio came from this server, not from the page's origin.
      assertTrue(routes(scenarios.get("embed-5.49.1")).contains("200 GET /theme.css"), summary.toString());
      assertTrue(routes(scenarios.get("ui-gradio")).contains("200 GET /"), summary.toString());
      for (String name : List.of("gradio-embed-5.49.1-text", "gradio-embed-5.49.1-image", "gradio-embed-5.49.1-error",
          "gradio-embed-4.44.1-text", "gradio-embed-6.25.0-text", "gradio-ui-text", "gradio-embed-allowed-origin")) {
        assertTrue(Files.size(SHOTS.resolve(name + ".png")) > 1000, "screenshot " + name);
      }
    } finally {
      BrowserTests.stop(defaults);
      BrowserTests.stop(gradio);
    }
  }

  private static List<String> routes(JsonNode scenario) {
    return BrowserTests.JSON.convertValue(scenario.get("routes"), BrowserTests.JSON.getTypeFactory()
        .constructCollectionType(List.class, String.class));
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
