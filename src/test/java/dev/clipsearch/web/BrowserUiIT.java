package dev.clipsearch.web;

import static dev.clipsearch.web.BrowserTests.SHOTS;
import static dev.clipsearch.web.BrowserTests.UI;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipsearch.testing.CompatClients;
import dev.clipsearch.testing.ServerProbes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web page in a real browser: the shipped jar serves ui/dist over ImageNet sample photos (the tiny CIFAR model is
 * enough: the checks are about the page, not ranking quality), and scripts under src/test/js drive Debian's headless
 * chromium with playwright-core:
 * <ul>
 *   <li>browser_ui.mjs: load, empty query, text search with thumbnails, enlarge, search by image, upload + ingest (one
 *       good file, one broken) and finding the new image, phone width, and a sub-path proxy;
 *   <li>browser_api_page.mjs: the "Use via API" page (?view=api) from the footer link; its snippets are then run here
 *       with the real gradio_client, @gradio/client and curl;
 *   <li>browser_ingest.mjs: the page while the server still ingests a large folder (progress, search, progress).
 * </ul>
 * Screenshots: target/ui-screenshots/. Missing chromium/playwright/ui/dist/clients is a failure, not a skip.
 */
class BrowserUiIT {
  private static final Path SCRIPT = Path.of("src/test/js/browser_ui.mjs").toAbsolutePath();
  private static final Path API_SCRIPT = Path.of("src/test/js/browser_api_page.mjs").toAbsolutePath();
  private static final Path INGEST_SCRIPT = Path.of("src/test/js/browser_ingest.mjs").toAbsolutePath();
  private static final String JS_CLIENT = "2.7.0";
  private static final int K = 10;

  @TempDir Path tmp;

  @Test
  void pageSearchesUploadsAndFindsTheNewImage() throws Exception {
    Path chromium = BrowserTests.chromium();
    BrowserTests.requireInstalled(Files.isRegularFile(UI.resolve("dist/index.html")), "the built page ui/dist");
    List<Path> photos = BrowserTests.photos(13);
    Path images = BrowserTests.imageFolder(tmp.resolve("images"), photos.subList(0, 12));
    // Uploaded through the page: a photo not in the folder, and a .png that is not an image.
    Path fresh = Files.copy(photos.get(12), tmp.resolve("newcomer.jpg"));
    Path broken = Files.writeString(tmp.resolve("broken.png"), "this is not an image");
    Files.createDirectories(SHOTS);

    Process server = BrowserTests.startServer(tmp.resolve("data"), images, "--ui", UI.resolve("dist").toString());
    try {
      String base = BrowserTests.awaitUrlAndIngest(server);
      Map<String, Object> cfg = browserConfig(chromium, base);
      cfg.put("k", K);
      cfg.put("probe", images.resolve(photos.get(3).getFileName()).toString());
      cfg.put("probeName", photos.get(3).getFileName().toString());
      cfg.put("addImage", fresh.toString());
      cfg.put("addName", "newcomer.jpg");
      cfg.put("badFile", broken.toString());
      cfg.put("badName", "broken.png");
      JsonNode summary = BrowserTests.runNode(SCRIPT, cfg, tmp.resolve("browser.log"));
      System.out.println("browser UI summary: " + summary);
      System.out.printf("page weight: page load %,d B; %d-result search %,d B in %d requests (the originals: %,d B)%n",
          summary.get("pageLoadBytes").asLong(), K, summary.get("searchBytes").asLong(), summary.get("searchRequests").asInt(),
          summary.get("originalsBytes").asLong());
      assertEquals(12, summary.get("collection").asInt());
      // The point of thumbnails: 10 results cost far less than the ~1.5 MB of the 10 original photos.
      assertTrue(summary.get("searchBytes").asLong() < 400_000, "a 10-result search should stay light: " + summary);
      for (String name : List.of("01-loaded", "03-text-search", "05-image-search", "06-ingest", "07-new-image-found", "09-subpath")) {
        assertTrue(Files.size(SHOTS.resolve(name + ".png")) > 1000, "screenshot " + name);
      }
    } finally {
      BrowserTests.stop(server);
    }
  }

  @Test
  void theApiPageListsEveryEndpointWithSnippetsThatRunAsPasted() throws Exception {
    Path chromium = BrowserTests.chromium();
    List<Path> photos = BrowserTests.photos(3);
    Path images = BrowserTests.imageFolder(tmp.resolve("images"), photos);
    Files.createDirectories(SHOTS);
    Process server = BrowserTests.startServer(tmp.resolve("data"), images, "--ui", UI.resolve("dist").toString());
    try {
      String base = BrowserTests.awaitUrlAndIngest(server);
      Map<String, Object> cfg = browserConfig(chromium, base);
      JsonNode endpoints = BrowserTests.runNode(API_SCRIPT, cfg, tmp.resolve("api-page.log")).get("endpoints");
      assertEquals(List.of("/search", "/ingest", "/search_image"), fieldNames(endpoints));
      // Pasted as shown, with the example image path pointed at a real photo.
      String photo = photos.get(0).toString();
      List<String> names = photos.stream().map(p -> p.getFileName().toString()).toList();
      for (String api : List.of("/search", "/search_image")) {
        JsonNode code = endpoints.get(api);
        Path python = CompatClients.python(CompatClients.LATEST_PYTHON);
        assertFinds(api + " (Python)", names, run(List.of(python.toString(), "-c", pasted(code.get("python"), photo))));
        assertFinds(api + " (curl)", names, run(List.of("bash", "-c", pasted(code.get("curl"), photo))));
        Path js = Files.createDirectories(tmp.resolve("js" + api.replace('/', '-')));
        Files.createSymbolicLink(js.resolve("node_modules"), CompatClients.jsClientDir(JS_CLIENT).resolve("node_modules"));
        Files.writeString(js.resolve("snippet.mjs"), pasted(code.get("js"), photo));
        assertFinds(api + " (JavaScript)", names, run(List.of("node", js.resolve("snippet.mjs").toString())));
      }
    } finally {
      BrowserTests.stop(server);
    }
  }

  @Test
  void thePageShowsProgressAndSearchesWhileTheServerIngestsAFolder() throws Exception {
    Path chromium = BrowserTests.chromium();
    BrowserTests.requireInstalled(Files.isRegularFile(UI.resolve("dist/index.html")), "the built page ui/dist");
    // 10 000 files (ten links to each of 1 000 photos): enough that the ingest is still running when the checks end.
    List<Path> photos = BrowserTests.photos(1000);
    Path images = tmp.resolve("many");
    for (int i = 0; i < 10; i++) {
      BrowserTests.imageFolder(images.resolve("copy-" + i), photos);
    }
    Files.createDirectories(SHOTS);
    Process server = BrowserTests.startServer(tmp.resolve("data"), images, "--ui", UI.resolve("dist").toString());
    try {
      String base = BrowserTests.awaitUrl(server);
      JsonNode ready = ServerProbes.readyz(base + "/");
      assertEquals(200, ready.get("http_status").asInt(), "ready while the folder is ingested: " + ready);
      assertTrue(List.of("scanning", "running").contains(ready.path("ingest").path("state").asText()), ready.toString());
      Map<String, Object> cfg = browserConfig(chromium, base);
      cfg.put("query", "a dog on the grass");
      cfg.put("k", 5);
      JsonNode summary = BrowserTests.runNode(INGEST_SCRIPT, cfg, tmp.resolve("ingest.log"));
      System.out.println("serving while ingesting: " + summary);
      assertEquals(5, summary.get("results").asInt());
      JsonNode after = summary.get("afterSearch");
      assertEquals("running", after.get("state").asText());
      assertEquals(10_000, after.get("total").asInt(), "every file is new");
      assertTrue(after.get("images_per_second").asDouble() > 0 && !after.get("eta_seconds").isNull(), after.toString());
    } finally {
      BrowserTests.stop(server);
    }
  }

  /** What every browser script reads: playwright-core's folder, the browser, the server and where shots go. */
  private static Map<String, Object> browserConfig(Path chromium, String base) {
    Map<String, Object> cfg = new LinkedHashMap<>();
    cfg.put("playwright", UI.toString());
    cfg.put("chromium", chromium.toString());
    cfg.put("base", base);
    cfg.put("shots", SHOTS.toString());
    return cfg;
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> names = new java.util.ArrayList<>();
    n.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** A snippet as a user pastes it after pointing the example image path at a real file. */
  private static String pasted(JsonNode snippet, String photo) {
    return snippet.asText().replace("path/to/image.jpg", photo);
  }

  private static void assertFinds(String what, List<String> names, String output) {
    for (String name : names) {
      assertTrue(output.contains(name), what + " did not return " + name + ":\n" + output);
    }
  }

  /** Runs a pasted snippet (the clients' HTTP stays local and offline); requires exit 0 within 2 minutes. */
  private String run(List<String> cmd) throws Exception {
    Path log = Files.createTempFile(tmp, "snippet", ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().put("NO_PROXY", "127.0.0.1,localhost");
    pb.environment().put("no_proxy", "127.0.0.1,localhost");
    pb.environment().put("HF_HUB_OFFLINE", "1");
    Process p = pb.start();
    boolean finished = p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS);
    if (!finished) {
      p.destroyForcibly();
    }
    String out = Files.readString(log);
    assertTrue(finished, cmd.get(0) + " timed out:\n" + out);
    assertEquals(0, p.exitValue(), String.join(" ", cmd) + "\n" + out);
    return out;
  }
}
