package dev.clipsearch.cli;

import dev.clipsearch.App;
import dev.clipsearch.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "serve", mixinStandardHelpOptions = true, modelTransformer = SettingOptions.Serve.class,
    description = {"Serves the search page and the Gradio-compatible API (gradio_client, @gradio/client, curl).",
        "The port opens at once; a folder given with --images is ingested in the background while search answers",
        "from what is stored so far (GET /readyz and the page show the progress). Logs fully to stderr."})
public final class ServeCommand implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

  @Spec CommandSpec spec;

  @Option(names = "--images", paramLabel = "DIR", description = "ingest this folder in the background while serving "
      + "(incremental: files already stored are skipped)")
  Path images;

  @Override
  public void run() {
    if (images != null && !Files.isDirectory(images)) {
      throw new ParameterException(spec.commandLine(), "--images " + images + " is not a folder");
    }
    long start = System.nanoTime();
    ServerConfig config = SettingOptions.config(spec);
    try (App app = App.withStore(config)) {
      int bound = app.serve(Optional.ofNullable(images));
      log.info("clip-search ready in {} ms: http://{}:{}/ ({} images stored{})",
          (System.nanoTime() - start) / 1_000_000, config.web().host(), bound, app.store().count(),
          images == null ? "" : "; ingesting " + images + " in the background");
      System.err.println("Running on local URL:  http://" + config.web().host() + ":" + bound);
      StopSignals.await();
      log.info("stopping: draining requests in flight, then the background ingest and the store");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
