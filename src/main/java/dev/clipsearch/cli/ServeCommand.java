package dev.clipsearch.cli;

import dev.clipsearch.App;
import dev.clipsearch.config.ServerConfig;
import dev.clipsearch.ingest.IngestReport;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "serve", mixinStandardHelpOptions = true, modelTransformer = SettingOptions.Serve.class,
    description = "Serves the search page and the Gradio-compatible API (gradio_client, @gradio/client, curl).")
public final class ServeCommand implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

  @Spec CommandSpec spec;

  @Option(names = "--images", paramLabel = "DIR", description = "ingest this folder before serving (skips images already stored)")
  Path images;

  @Override
  public void run() {
    long start = System.nanoTime();
    ServerConfig config = SettingOptions.config(spec);
    try (App app = App.withStore(config)) {
      if (images != null) {
        IngestReport report = IngestCommand.ingest(app, images);
        System.err.println("ingest: " + Json.write(IngestCommand.summary(report)));
      }
      int bound = app.serve();
      log.info("clip-search ready in {} ms: http://{}:{}/ ({} images stored)",
          (System.nanoTime() - start) / 1_000_000, config.web().host(), bound, app.store().count());
      System.err.println("Running on local URL:  http://" + config.web().host() + ":" + bound);
      StopSignals.await();
      log.info("stopping: draining requests in flight, then stopping the store");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
