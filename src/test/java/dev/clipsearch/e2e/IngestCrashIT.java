package dev.clipsearch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipsearch.model.ModelSpec;
import dev.clipsearch.store.MilvusVectorStore;
import dev.clipsearch.store.StoreOptions;
import dev.clipsearch.store.StoredImage;
import dev.clipsearch.testing.SharedData;
import dev.clipsearch.testing.StoreTarget;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interrupted ingests with the shipped jar: kill -9 of the Milvus Lite child in the middle of an ingest, and SIGTERM
 * to the ingest JVM (what Ctrl-C does). After a re-run every image is stored exactly once. {@link IngestCrashServerIT}
 * runs them against a Milvus standalone, killing the server instead.
 */
class IngestCrashIT {
  // Enough images that the ingest is still running a few seconds after the interruption point on a fast machine
  // (about 300 img/s with the tiny model), with a progress line every 50 ms so the test sees that point in time.
  static final int IMAGES = 4000;
  private static final Pattern PROGRESS = Pattern.compile("ingest \\[.*] (\\d+)/(\\d+) images");
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path work;
  static Path images;

  @BeforeAll
  static void linkImages() throws Exception {
    images = Files.createDirectories(work.resolve("images"));
    List<Path> all;
    try (Stream<Path> s = Files.walk(SharedData.root().resolve("data/cifar10-test"))) {
      all = s.filter(p -> p.toString().endsWith(".jpg")).sorted().limit(IMAGES).toList();
    }
    for (Path p : all) {
      Path to = Files.createDirectories(images.resolve(p.getParent().getFileName()));
      Files.createSymbolicLink(to.resolve(p.getFileName()), p);
    }
  }

  StoreTarget target() {
    return StoreTarget.LITE;
  }

  /** One collection per data directory: "crash", "sigterm", ... */
  StoreOptions storeOptions(Path data) throws Exception {
    int dim = ModelSpec.forModel(SharedData.tinyClipModel()).embedDim();
    return target().options(data.resolve("milvus"), data.getFileName().toString(), dim);
  }

  ProcessBuilder ingest(Path data) {
    List<String> args = new java.util.ArrayList<>(List.of("ingest", images.toString(), "--model",
        SharedData.tinyClipModel().toString(), "--data-dir", data.toString(), "--progress-every", "0.05"));
    args.addAll(target().cliArgs(data.resolve("milvus"), data.getFileName().toString()));
    return JarProcess.builder(work, args.toArray(String[]::new));
  }

  /** Runs an ingest and calls {@code atProgress} once, at the first progress line past {@code minDone} images. */
  Process startAndWatch(Path data, Path stdout, int minDone, Consumer<Process> atProgress)
      throws Exception {
    Process p = ingest(data).redirectOutput(stdout.toFile()).start();
    BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
    StringBuilder log = new StringBuilder();
    for (String line; (line = err.readLine()) != null; ) {
      log.append(line).append('\n');
      Matcher m = PROGRESS.matcher(line);
      if (m.find() && Integer.parseInt(m.group(1)) >= minDone) {
        assertTrue(Integer.parseInt(m.group(1)) < Integer.parseInt(m.group(2)), "ingest finished before the "
            + "interruption; the test proves nothing:\n" + log);
        atProgress.accept(p);
        Thread drain = new Thread(() -> {
          try {
            err.lines().forEach(l -> { });
          } catch (java.io.UncheckedIOException closed) {
            // the process ended and its stream was closed: nothing left to drain
          }
        });
        drain.setDaemon(true);
        drain.start();
        return p;
      }
    }
    throw new AssertionError("ingest ended without progress:\n" + log);
  }

  JsonNode rerun(Path data) throws Exception {
    return rerun(data, 1);
  }

  /**
   * Re-runs the ingest, up to {@code tries} times 10 s apart: a server just restarted may answer searches before it
   * accepts writes (seen once: searches back 1.8 s after the restart, the re-run's first write refused). A refused
   * run must fail with one clear line, no stack trace; the last one must succeed.
   */
  JsonNode rerun(Path data, int tries) throws Exception {
    for (int attempt = 1; ; attempt++) {
      Path out = Files.createTempFile(work, "rerun", ".json");
      Path err = Files.createTempFile(work, "rerun", ".log");
      Process p = ingest(data).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      assertTrue(p.waitFor(600, TimeUnit.SECONDS));
      if (p.exitValue() == 0) {
        return JSON.readTree(Files.readString(out));
      }
      String why = errorLines(err);
      assertTrue(attempt < tries, "re-run " + attempt + " failed: " + why);
      assertTrue(why.contains("error: ") && !Files.readString(err).contains("\tat "), "a clear error: " + why);
      System.out.printf("[measure] re-run %d refused by the just-restarted server: %s%n", attempt, why);
      Thread.sleep(10_000);
    }
  }

  /** The "error:" and WARN/ERROR lines of a run's stderr (its progress lines are many). */
  static String errorLines(Path stderr) {
    try {
      return String.join("\n", Files.readAllLines(stderr).stream()
          .filter(l -> l.startsWith("error:") || l.contains(" WARN ") || l.contains(" ERROR ")).toList());
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }

  /** Every image exactly once, read through a store of the test's own on what the jar used. */
  void assertEveryImageExactlyOnce(Path data) throws Exception {
    try (MilvusVectorStore s = MilvusVectorStore.open(storeOptions(data))) {
      s.ensureCollection();
      List<StoredImage> rows = s.under(images.toRealPath().toString());
      assertEquals(IMAGES, s.count());
      assertEquals(IMAGES, rows.size());
      assertEquals(IMAGES, rows.stream().map(StoredImage::path).distinct().count(), "no path twice");
    }
  }

  @Test
  void killingMilvusLiteMidIngestThenReRunningStoresEveryImageExactlyOnce() throws Exception {
    Path data = work.resolve("crash");
    Process p = startAndWatch(data, work.resolve("crash.json"), 300, jvm -> {
      ProcessHandle lite = jvm.descendants().filter(h -> h.info().commandLine().orElse("").contains("clip-search-lite-"))
          .findFirst().orElseThrow(() -> new AssertionError("no Milvus Lite child"));
      assertTrue(lite.destroyForcibly()); // SIGKILL
    });
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "ingest did not give up after its store died");
    // Usually the next chunk's write finds the store restarting and the ingest fails (exit 1); on a fast machine the
    // store's own restart of Lite can finish first and the ingest carries on (exit 0). Either way nothing may be lost
    // or stored twice, which the re-run checks.
    System.out.printf("[measure] the ingest whose Lite was killed exited %d%n", p.exitValue());

    JsonNode again = rerun(data);
    assertTrue(again.get("skipped").asInt() >= 256, "rows written before the kill survive it: " + again);
    assertEquals(IMAGES, again.get("inserted").asInt() + again.get("skipped").asInt(), again.toString());
    assertEveryImageExactlyOnce(data);
  }

  @Test
  void sigtermStopsTheIngestCleanlyWithEverythingEmbeddedSoFarStored() throws Exception {
    Path data = work.resolve("sigterm");
    Path out = work.resolve("sigterm.json");
    Process p = startAndWatch(data, out, 100, Process::destroy); // SIGTERM, as Ctrl-C's SIGINT
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "ingest did not stop on SIGTERM");
    JsonNode first = JSON.readTree(Files.readString(out));
    assertTrue(first.get("interrupted").asBoolean(), first.toString());
    int stored = first.get("inserted").asInt();
    assertTrue(stored >= 100 && stored < IMAGES, first.toString());

    JsonNode again = rerun(data);
    assertEquals(stored, again.get("skipped").asInt(), "everything the stopped run reported is stored");
    assertEquals(IMAGES - stored, again.get("inserted").asInt());
    assertEveryImageExactlyOnce(data);
  }
}
