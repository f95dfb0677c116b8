package dev.clipsearch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.testing.ServerProbes;
import dev.clipsearch.testing.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compressed version of the long run (issue 25): image searches without pause through an upload space of a few
 * MB, so the quota is passed dozens of times over. Nothing may be refused (no 413, no 503), and the uploads folder
 * stays within its quota in bytes and in files the whole time. bench.SoakBench runs the hour-long version.
 */
class QueryUploadsIT {
  private static final int QUOTA_MB = 4;
  @TempDir Path work;

  @Test
  void imageSearchesWithoutEndNeverFillTheUploadSpaceAndAreNeverRefused() throws Exception {
    Path images = Files.createDirectories(work.resolve("images"));
    try (Stream<Path> s = Files.walk(SharedData.root().resolve("data/cifar10-test"))) {
      for (Path p : s.filter(f -> f.toString().endsWith(".jpg")).sorted().limit(100).toList()) {
        Files.createSymbolicLink(images.resolve(p.getParent().getFileName() + "-" + p.getFileName()), p);
      }
    }
    Path data = work.resolve("data");
    Process server = JarProcess.builder(work, "serve", "--port", "0", "--model",
        SharedData.tinyClipModel().toString(), "--data-dir", data.toString(), "--images", images.toString(),
        "--metrics-log-s", "0", "--max-upload-mb", "1", "--upload-quota-mb", Integer.toString(QUOTA_MB),
        "--query-image-cache-mb", "1").redirectErrorStream(true).start();
    try {
      String url = JarProcess.awaitUrl(server);
      ServerProbes.awaitIngestDone(url, Duration.ofMinutes(5)); // the port opens before the folder is stored
      SoakRun.Result r = new SoakRun(url, server.pid(), SoakRun.Mix.IMAGE_SEARCHES).measuring(data.resolve("uploads"))
          .run(8, Duration.ofSeconds(75), Duration.ofSeconds(5));
      long uploaded = 0;
      for (SoakRun.Window w : r.windows()) {
        uploaded += w.completed();
        double gauge = w.server().getOrDefault("uploads", -1.0);
        assertTrue(gauge >= 0 && gauge <= QUOTA_MB << 20, "the upload space at " + w.second() + " s: " + gauge);
        // on disk: the quota, plus what the 8 clients may be writing at that moment (one image each, < 64 KB)
        assertTrue(w.dataDirBytes() <= (QUOTA_MB << 20) + 8 * 65_536, "uploads folder " + w.dataDirBytes() + " B");
        assertTrue(w.dataDirFiles() <= ((QUOTA_MB << 20) / 10_000) + 8, "uploads folder " + w.dataDirFiles() + " files");
      }
      System.out.println("[measure] query uploads: " + r.images() + " image searches, " + uploaded
          + " calls; uploads folder at the end " + r.windows().get(r.windows().size() - 1).dataDirBytes() + " B in "
          + r.windows().get(r.windows().size() - 1).dataDirFiles() + " files");
      assertEquals(0, r.failed(), "failures: " + r.failures());
      assertEquals(0, r.overloaded(), "nothing refused");
      assertTrue(r.images() > 2 * (QUOTA_MB << 20) / 20_000,
          "enough searches to pass the quota several times: " + r.images());
    } finally {
      server.destroy();
      assertTrue(server.waitFor(60, TimeUnit.SECONDS), "server did not stop on SIGTERM");
    }
  }
}
