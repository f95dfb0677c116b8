package dev.clipsearch.cli;

import dev.clipsearch.App;
import dev.clipsearch.config.ConfigLoader;
import dev.clipsearch.config.ServerConfig;
import dev.clipsearch.gradio.ConfigBuilder;
import dev.clipsearch.gradio.QueueLimits;
import dev.clipsearch.store.MilvusVectorStore;
import dev.clipsearch.store.VectorStore;
import dev.clipsearch.web.ApiToken;
import dev.clipsearch.web.Metrics;
import dev.clipsearch.web.UiChoice;
import dev.clipsearch.web.WebLimits;
import dev.clipsearch.web.WebOps;
import dev.clipsearch.web.WebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** Starts the HTTP server on the app's services; the app closes it (registered first, so it stops first). */
final class WebStarter {
  private WebStarter() {}

  static int start(App app) {
    ServerConfig config = app.config();
    Path uploads = config.dataDir().resolve("uploads");
    UiChoice ui = ui(config.web().ui(), ConfigLoader.fromSystem().home());
    WebLimits defaults = WebLimits.defaults();
    QueueLimits q = defaults.queue();
    // request workers block on the encoder: their number caps how many requests can share one batch
    WebLimits limits = defaults.withMaxUploadBytes(config.web().maxUploadBytes())
        .withUploadSpace(config.web().uploadQuotaBytes(), java.time.Duration.ofHours(config.web().uploadTtlHours()))
        .withQueue(new QueueLimits(config.engine().requestWorkers(), Math.max(q.maxQueuedEvents(),
            config.engine().requestWorkers() * 4), q.maxSessions(), q.maxPendingPerSession(), q.sessionTtl()));
    try {
      WebServer server = app.register(new WebServer(app.search(), app.ingest(), uploads, limits, ui, ops(app)));
      return server.start(config.web().port(), config.web().host()).port();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the web server: " + e.getMessage(), e);
    }
  }

  /**
   * The page at / and Gradio's installed frontend: the hand-built page is ui/dist (built by setup.d/30-ui.sh) unless
   * a folder is named; Gradio's frontend is the version /config claims, unpacked by setup.d/35-gradio-frontend.sh.
   */
  static UiChoice ui(String setting, Path home) {
    Optional<Path> gradio = Optional.of(home.resolve(".cache/gradio-frontend/" + ConfigBuilder.VERSION));
    return switch (setting) {
      case ServerConfig.Web.UI_GRADIO -> new UiChoice(Optional.empty(), true, gradio);
      case ServerConfig.Web.UI_DEFAULT -> new UiChoice(Optional.of(home.resolve("ui/dist")).filter(Files::isDirectory), false, gradio);
      default -> new UiChoice(Optional.of(Path.of(setting)), false, gradio);
    };
  }

  /** Readiness checks, the API token and metrics, hooked to the app's store and batchers. */
  static WebOps ops(App app) {
    Metrics metrics = new Metrics();
    VectorStore store = app.store();
    if (store instanceof MilvusVectorStore m) {
      m.observe(metrics);
    }
    metrics.batchers(new BatcherMetricsAdapter(app.encoder()));
    metrics.engineInfo(app.engineInfo());
    Map<String, Callable<?>> checks = new LinkedHashMap<>();
    // The App loads the model before anything serves; this check is what a future lazy or reloadable model reports.
    checks.put("model", () -> app.encoder().spec());
    checks.put("store", () -> {
      store.ping();
      return null;
    });
    ServerConfig.Web web = app.config().web();
    return new WebOps(checks, token(web.apiToken(), Boolean.toString(web.apiTokenForAll())), metrics,
        java.util.Set.copyOf(web.corsOrigins()));
  }

  static ApiToken token(String token, String forAll) {
    return new ApiToken(Optional.ofNullable(token).map(String::strip).filter(t -> !t.isEmpty()),
        Boolean.parseBoolean(forAll));
  }
}
