package dev.clipsearch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipsearch.testing.SharedData;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path JAR = Path.of("target/clip-search.jar").toAbsolutePath();
  private static final Path UI = Path.of("ui").toAbsolutePath();
  private static final Path SCRIPT = Path.of("src/test/js/browser_ui.mjs").toAbsolutePath();
  private static final Path SHOTS = Path.of("target/ui-screenshots").toAbsolutePath();
  private static final Pattern URL = Pattern.compile("Running on local URL:\\s+(http://\\S+)");
  private static final int K = 10;

  @TempDir Path tmp;

  @Test
  void pageSearchesUploadsAndFindsTheNewImage() throws Exception {
    Path chromium = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    requireInstalled(Files.isExecutable(chromium), "chromium (" + chromium + ")");
    requireInstalled(Files.isRegularFile(UI.resolve("node_modules/playwright-core/package.json")), "ui/node_modules/playwright-core");
    requireInstalled(Files.isRegularFile(UI.resolve("dist/index.html")), "the built page ui/dist");
    assertTrue(Files.isRegularFile(JAR), JAR + " is missing: the integration tests run after `mvn package`");

    List<Path> photos;
    try (Stream<Path> s = Files.list(SharedData.root().resolve("data/imagenet-sample"))) {
      photos = s.filter(p -> p.toString().endsWith(".JPEG")).sorted().limit(13).toList();
    }
    Path images = Files.createDirectories(tmp.resolve("images"));
    for (Path p : photos.subList(0, 12)) {
      Files.createSymbolicLink(images.resolve(p.getFileName()), p);
    }
    // Uploaded through the page: a photo not in the folder, and a .png that is not an image.
    Path fresh = Files.copy(photos.get(12), tmp.resolve("newcomer.jpg"));
    Path broken = Files.writeString(tmp.resolve("broken.png"), "this is not an image");
    Files.createDirectories(SHOTS);

    Process server = startServer(images);
    try {
      String base = awaitUrl(server);
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
      JsonNode summary = runNode(JSON.writeValueAsString(cfg));
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
      server.destroy();
      if (!server.waitFor(30, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
  }

  private static void requireInstalled(boolean present, String what) {
    if (!present) {
      fail(what + " is missing: run src/scripts/setup.sh (it installs chromium, npm-installs ui/ and builds ui/dist)");
    }
  }

  private Process startServer(Path images) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0", "-jar", JAR.toString(), "serve",
        "--model", SharedData.tinyClipModel().toString(), "--data-dir", tmp.resolve("data").toString(),
        "--port", "0", "--images", images.toString(), "--ui", UI.resolve("dist").toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
    pb.environment().put("OPENBLAS_THREAD_TIMEOUT", "20");
    pb.environment().put("CLIPSRV_HOME", Path.of("").toAbsolutePath().toString());
    return pb.start();
  }

  /** Reads the server's output until it prints its URL (after ingesting the folder); keeps draining it after. */
  private static String awaitUrl(Process server) throws Exception {
    CompletableFuture<String> url = new CompletableFuture<>();
    StringBuilder seen = new StringBuilder();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          synchronized (seen) {
            seen.append(line).append('\n');
          }
          Matcher m = URL.matcher(line);
          if (m.find()) {
            url.complete(m.group(1));
          }
        }
      } catch (IOException e) {
        // the process ended; the timeout below reports it
      }
      url.completeExceptionally(new AssertionError("server exited before serving:\n" + seen));
    }, "browser-it-server-log");
    reader.setDaemon(true);
    reader.start();
    try {
      return url.get(240, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      synchronized (seen) {
        throw new AssertionError("server did not start in 240 s:\n" + seen);
      }
    }
  }

  /** Runs the browser script; its output goes to a file so a hung browser cannot block us past the timeout. */
  private JsonNode runNode(String cfg) throws Exception {
    Path log = tmp.resolve("browser.log");
    Process p = new ProcessBuilder("node", SCRIPT.toString(), cfg).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean finished = p.waitFor(300, TimeUnit.SECONDS);
    if (!finished) {
      p.destroyForcibly();
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    assertTrue(finished, "browser script timed out:\n" + out);
    assertEquals(0, p.exitValue(), "browser script failed (screenshots so far in " + SHOTS + "):\n" + out);
    String[] lines = out.strip().split("\n");
    return JSON.readTree(lines[lines.length - 1]);
  }
}
