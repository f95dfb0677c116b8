package dev.clipsearch.cli;

import dev.clipsearch.App;
import dev.clipsearch.embedding.BulkEmbedder;
import dev.clipsearch.ingest.FolderIngest;
import dev.clipsearch.ingest.IngestOptions;
import dev.clipsearch.ingest.IngestReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "ingest", mixinStandardHelpOptions = true, modelTransformer = SettingOptions.ModelAndStore.class,
    description = {"Embeds every image under DIR (recursive; jpg, jpeg, png, webp, gif, bmp) and stores it.",
        "Re-runs are incremental: files with unchanged size and mtime are not read, files with an unchanged",
        "SHA-256 are not decoded, changed files replace their old row. Ctrl-C stops cleanly, keeping what is done.",
        "Progress goes to stderr; a one-line JSON summary to stdout:",
        "  {\"inserted\": N, \"updated\": N, \"skipped\": N, \"pruned\": N, \"failed\": [{\"path\", \"reason\"}], ...}"})
public final class IngestCommand implements Runnable {
  /** How long a shutdown hook waits for the pending chunk to be written and Milvus Lite to stop. */
  private static final long STOP_WAIT_SECONDS = 60;

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "folder of images")
  Path dir;

  @Option(names = "--prune", description = "also delete the stored rows of files under DIR that no longer exist")
  boolean prune;

  @Option(names = "--dry-run", description = "only report what would be inserted, updated, skipped and pruned")
  boolean dryRun;

  @Option(names = "--max-file-mb", paramLabel = "MB", defaultValue = "64",
      description = "skip (and list as failed) files larger than this (default 64)")
  long maxFileMb;

  @Option(names = "--progress-every", paramLabel = "SECONDS", defaultValue = "5",
      description = "seconds between progress lines when stderr is not a terminal (default 5)")
  double progressEverySeconds;

  @Option(names = "--label", paramLabel = "LABEL", description = "attach this label to every image stored (repeatable)")
  List<String> labels = new ArrayList<>();

  @Override
  public void run() {
    if (!(progressEverySeconds >= 0 && progressEverySeconds <= 3600)) {
      throw new ParameterException(spec.commandLine(),
          "--progress-every must be between 0 and 3600 seconds, got " + progressEverySeconds);
    }
    IngestOptions options = new IngestOptions(prune, dryRun, maxFileMb << 20, labels);
    CountDownLatch finished = new CountDownLatch(1);
    FolderIngest[] running = new FolderIngest[1];
    boolean[] stopRequested = new boolean[1]; // a signal during start-up stops the ingest as soon as it exists
    // SIGINT/SIGTERM: ask the ingest to stop and wait until it has written its pending chunk and closed the store.
    // Without the wait the JVM would halt as soon as the hooks return, in the middle of the write.
    Thread hook = new Thread(() -> {
      synchronized (running) {
        stopRequested[0] = true;
        if (running[0] != null) {
          running[0].stop();
        }
      }
      try {
        finished.await(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "ingest-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try (App app = App.withStore(SettingOptions.config(spec))) {
      IngestReport report = ingest(app, dir, options, progressEverySeconds, f -> {
        synchronized (running) {
          running[0] = f;
          if (stopRequested[0]) {
            f.stop();
          }
        }
      });
      System.out.println(Json.write(summary(report)));
      System.out.flush();
    } finally {
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // already shutting down: the hook is running and has just been released
      }
    }
  }

  private static IngestReport ingest(App app, Path dir, IngestOptions options, double progressEverySeconds,
      java.util.function.Consumer<FolderIngest> started) {
    BulkEmbedder embedder = new BulkEmbedder(app.encoder(), app.config().runtime().decodeThreads(),
        options.maxFileBytes());
    FolderIngest ingest = new FolderIngest(embedder, app.store(), new StderrProgress(progressEverySeconds));
    started.accept(ingest);
    try {
      return ingest.run(dir, options);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("ingest interrupted", e);
    }
  }

  /** A folder as ingest stores paths under it: the real path when it exists, so symlinked spellings match. */
  static String storedForm(Path folder) {
    try {
      return Files.exists(folder) ? folder.toRealPath().toString() : folder.toAbsolutePath().normalize().toString();
    } catch (IOException e) {
      return folder.toAbsolutePath().normalize().toString();
    }
  }

  static Map<String, Object> summary(IngestReport r) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (r.dryRun()) {
      m.put("dry_run", true); // the counts below are what a real run would do
    }
    m.put("inserted", r.inserted());
    m.put("updated", r.updated());
    m.put("skipped", r.skipped());
    m.put("pruned", r.pruned());
    m.put("repaired", r.repaired());
    m.put("failed", r.failed());
    m.put("interrupted", r.interrupted());
    m.put("seconds", Math.round(r.seconds() * 1000) / 1000.0);
    m.put("images_per_second", Math.round(r.imagesPerSecond() * 10) / 10.0);
    return m;
  }
}
