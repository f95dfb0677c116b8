package dev.clipsearch.cli;

import dev.clipsearch.App;
import dev.clipsearch.config.ServerConfig;
import dev.clipsearch.ingest.IngestReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Serves the search page and the Gradio-compatible API (gradio_client, @gradio/client, curl).")
public final class ServeCommand implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

  @Mixin CommonOptions common;

  @Option(names = "--port", paramLabel = "PORT", description = "HTTP port, 0 = any free port (env CLIPSRV_PORT; default 7860, as Gradio)")
  Integer port;

  @Option(names = "--host", paramLabel = "HOST", description = "bind address (env CLIPSRV_HOST; default 127.0.0.1)")
  String host;

  @Option(names = "--images", paramLabel = "DIR", description = "ingest this folder before serving (skips images already stored)")
  Path images;

  @Option(names = "--api-token", paramLabel = "TOKEN",
      description = "require this token (Authorization: Bearer or X-Api-Token) for upload and ingest (env CLIPSRV_API_TOKEN)")
  String apiToken;

  @Option(names = "--api-token-all", description = "require the token on every route but /healthz and /readyz (env CLIPSRV_API_TOKEN_ALL)")
  boolean apiTokenForAll;

  @Option(names = "--cors-origin", paramLabel = "ORIGIN", split = ",",
      description = "grant CORS only to this origin, e.g. https://app.example.com (repeatable; env CLIPSRV_CORS_ORIGINS; "
          + "default: Gradio's policy, which echoes any origin except foreign ones to a localhost server)")
  List<String> corsOrigins = new ArrayList<>();

  @Option(names = "--ui", paramLabel = "default|gradio|DIR",
      description = "the page at /: default = the project's page (ui/dist), gradio = Gradio's own frontend (installed "
          + "by src/scripts/setup.sh), or a folder of static files (env CLIPSRV_UI; default: default)")
  String ui;

  @Override
  public void run() {
    long start = System.nanoTime();
    ServerConfig config = common.toConfig(
        host != null ? host : common.envOr("HOST", "127.0.0.1"),
        port != null ? port : common.envInt("PORT", 7860),
        ui, apiToken, apiTokenForAll, corsOrigins);
    try (App app = App.withStore(config)) {
      if (images != null) {
        IngestReport report = IngestCommand.ingest(app, images);
        System.err.println("ingest: " + Json.write(IngestCommand.summary(report)));
      }
      int bound = WebStarter.start(app);
      log.info("clip-search ready in {} ms: http://{}:{}/ ({} images stored)",
          (System.nanoTime() - start) / 1_000_000, config.web().host(), bound, app.store().count());
      System.err.println("Running on local URL:  http://" + config.web().host() + ":" + bound);
      // SIGTERM/SIGINT are taken over (instead of the JVM's exit-143 shutdown) so that a stop is an orderly return:
      // the web server refuses new events and drains running ones, Milvus Lite stops, and the process exits 0.
      CountDownLatch stopRequested = new CountDownLatch(1);
      for (String name : new String[] {"TERM", "INT"}) {
        sun.misc.Signal signal = new sun.misc.Signal(name);
        sun.misc.SignalHandler previous = sun.misc.Signal.handle(signal, s -> stopRequested.countDown());
        if (previous == sun.misc.SignalHandler.SIG_IGN) {
          // Started with it ignored (a background job of a script, nohup): keep it ignored, as the JVM itself does.
          sun.misc.Signal.handle(signal, sun.misc.SignalHandler.SIG_IGN);
        }
      }
      stopRequested.await();
      log.info("stopping: draining requests in flight, then stopping the store");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
