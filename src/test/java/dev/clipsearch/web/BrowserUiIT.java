package dev.clipsearch.web;

import static dev.clipsearch.web.BrowserTests.SHOTS;
import static dev.clipsearch.web.BrowserTests.UI;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web page in a real browser: the shipped jar serves ui/dist over 12 ImageNet sample photos (the tiny CIFAR
 * model is enough: the checks are about the page, not ranking quality), and src/test/js/browser_ui.mjs drives
 * Debian's headless chromium with playwright-core through load, empty query, text search with thumbnails, enlarge,
 * search by image, upload + ingest (one good file, one broken) and finding the new image, phone width, and a
 * sub-path proxy. Screenshots: target/ui-screenshots/. Missing chromium/playwright/ui/dist is a failure, not a skip.
 */
class BrowserUiIT {
  private static final Path SCRIPT = Path.of("src/test/js/browser_ui.mjs").toAbsolutePath();
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
      String base = BrowserTests.awaitUrl(server);
      Map<String, Object> cfg = new LinkedHashMap<>();
      cfg.put("playwright", UI.toString());
      cfg.put("chromium", chromium.toString());
      cfg.put("base", base);
      cfg.put("shots", SHOTS.toString());
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
}
