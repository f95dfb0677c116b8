package dev.clipsearch.cli;

import dev.clipsearch.App;
import dev.clipsearch.embedding.BulkEmbedder;
import dev.clipsearch.ingest.FolderIngest;
import dev.clipsearch.ingest.IngestReport;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "ingest", mixinStandardHelpOptions = true,
    description = {"Embeds every image under DIR (recursive; jpg, jpeg, png, webp, gif, bmp) and stores it.",
        "Images already stored are skipped. Progress goes to stderr; a one-line JSON summary to stdout:",
        "  {\"inserted\": N, \"skipped\": N, \"failed\": [{\"path\": ..., \"reason\": ...}], ...}"})
public final class IngestCommand implements Runnable {
  @Mixin CommonOptions common;

  @Parameters(index = "0", paramLabel = "DIR", description = "folder of images")
  Path dir;

  @Override
  public void run() {
    try (App app = App.withStore(common.toConfig("127.0.0.1", 0, null))) {
      IngestReport report = ingest(app, dir);
      System.out.println(Json.write(summary(report)));
    }
  }

  /** Runs a folder ingest with progress on stderr; shared with {@code serve --images}. */
  static IngestReport ingest(App app, Path dir) {
    BulkEmbedder embedder = new BulkEmbedder(app.encoder(), app.config().runtime().blasThreads());
    FolderIngest ingest = new FolderIngest(embedder, app.store(), new StderrProgress());
    try {
      return ingest.run(dir);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("ingest interrupted", e);
    }
  }

  static Map<String, Object> summary(IngestReport r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("inserted", r.inserted());
    m.put("skipped", r.skipped());
    m.put("failed", r.failed());
    m.put("seconds", Math.round(r.seconds() * 1000) / 1000.0);
    m.put("images_per_second", Math.round(r.imagesPerSecond() * 10) / 10.0);
    return m;
  }
}
