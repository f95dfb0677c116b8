package dev.clipsearch.cli;

import dev.clipsearch.App;
import dev.clipsearch.config.ConfigLoader;
import dev.clipsearch.config.ServerConfig;
import dev.clipsearch.gradio.QueueLimits;
import dev.clipsearch.web.WebLimits;
import dev.clipsearch.web.WebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Starts the HTTP server on the app's services; the app closes it (registered first, so it stops first). */
final class WebStarter {
  private WebStarter() {}

  static int start(App app) {
    ServerConfig config = app.config();
    Path uploads = config.dataDir().resolve("uploads");
    Optional<Path> ui = Optional.ofNullable(config.web().uiDir())
        .or(() -> Optional.of(ConfigLoader.fromSystem().home().resolve("ui/dist"))) // built by setup.d/30-ui.sh
        .filter(Files::isDirectory);
    WebLimits defaults = WebLimits.defaults();
    QueueLimits q = defaults.queue();
    // request workers block on the encoder: their number caps how many requests can share one batch
    WebLimits limits = defaults.withMaxUploadBytes(config.web().maxUploadBytes())
        .withQueue(new QueueLimits(config.engine().requestWorkers(), Math.max(q.maxQueuedEvents(),
            config.engine().requestWorkers() * 4), q.maxSessions(), q.maxPendingPerSession(), q.sessionTtl()));
    try {
      WebServer server = app.register(new WebServer(app.search(), app.ingest(), uploads, limits, ui));
      return server.start(config.web().port(), config.web().host()).port();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the web server: " + e.getMessage(), e);
    }
  }
}
