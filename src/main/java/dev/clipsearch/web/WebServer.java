package dev.clipsearch.web;

import dev.clipsearch.gradio.Blocks;
import dev.clipsearch.gradio.ConfigBuilder;
import dev.clipsearch.gradio.EventQueue;
import dev.clipsearch.gradio.FilePolicy;
import dev.clipsearch.gradio.InfoBuilder;
import dev.clipsearch.gradio.Routes;
import dev.clipsearch.gradio.SearchAppBlocks;
import dev.clipsearch.gradio.SessionStreamer;
import dev.clipsearch.ingest.IngestService;
import dev.clipsearch.search.Query;
import dev.clipsearch.search.SearchService;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: a Gradio-compatible API (config/info, queue, call/run, upload/file) over a {@link SearchService} and
 * an {@link IngestService}, plus /health, /healthz, /readyz, /metrics and a UI. Lifecycle: construct, {@link #start}, {@link #stop} (also
 * {@link #close}); not restartable.
 *
 * <p>Threads it owns: Jetty's request pool (short handlers only), {@code gradio-worker-*} (endpoint functions),
 * {@code gradio-stream-*} (one per open SSE stream, bounded), {@code gradio-heartbeat} and {@code gradio-housekeeping}.
 */
public final class WebServer implements AutoCloseable {
  private static final Logger REQUESTS = LoggerFactory.getLogger("dev.clipsearch.web.requests");
  private final EventQueue queue;
  private final SseStreams streams;
  private final HeartbeatHub heartbeats;
  private final Javalin app;
  private final Readiness readiness;
  private final UploadSpace uploadSpace;

  /**
   * Built by the composition root ({@code App.serve}) from components it owns; this constructor only wires them to
   * Javalin and the Gradio queue (Javalin stays inside this package).
   *
   * @param uploadsDir where uploads are stored ({@code <uuid>/<name>}); created if missing. Ingested files stay
   *     referenced by the index, so this must be durable storage; only uploads the index does not hold are swept
   *     (see {@link UploadSpace})
   * @param ui the page at / and where Gradio's frontend is ({@code serve --ui})
   * @param ops readiness checks, the API token, the metrics registry and the CORS origins
   */
  public WebServer(SearchService search, IngestService ingest, Path uploadsDir, WebLimits limits, UiChoice ui,
      WebOps ops) throws IOException {
    Metrics metrics = ops.metrics();
    this.readiness = new Readiness(ops.readiness(), WebOps.CHECK_TIMEOUT);
    FilePolicy files = new FilePolicy(uploadsDir, search::isServable);
    Blocks blocks = SearchAppBlocks.create(Query.MAX_K, Query.DEFAULT_K);
    SearchEndpoints endpoints = new SearchEndpoints(search, ingest, files);
    this.queue = new EventQueue(blocks, endpoints.table(), limits.queue(), failure -> {
      metrics.eventError(ErrorMapping.status(failure));
      return ErrorMapping.eventMessage(failure);
    });
    this.streams = new SseStreams(limits.maxStreams());
    this.heartbeats = new HeartbeatHub(limits.heartbeat(), limits.maxStreams() * 4);
    long appId = ThreadLocalRandom.current().nextLong(1L << 53); // < 2^53: exact as a JS number
    SessionStreamer streamer = new SessionStreamer(queue, limits.heartbeat());
    ConfigBuilder config = new ConfigBuilder(blocks, appId, limits.maxUploadBytes());
    InfoBuilder info = new InfoBuilder(blocks);
    AppRoutes appRoutes = new AppRoutes(config, info, appId, heartbeats);
    GradioFrontend gradio = new GradioFrontend(ui.gradioFrontend(), ui.gradioPage(), config, info, blocks.title());
    QueueRoutes queueRoutes = new QueueRoutes(queue, streamer, streams);
    CallRoutes callRoutes = new CallRoutes(queue, streamer, streams);
    // Swept every 10 minutes (or every TTL when shorter): uploads that were only queries do not pile up.
    Duration sweepEvery = limits.uploadTtl().compareTo(Duration.ofMinutes(10)) < 0 ? limits.uploadTtl()
        : Duration.ofMinutes(10);
    this.uploadSpace = new UploadSpace(files.uploadsDir(), limits.uploadQuotaBytes(), limits.uploadTtl(), sweepEvery,
        search::isServable);
    FileRoutes fileRoutes = new FileRoutes(files, limits.maxUploadBytes(), uploadSpace);
    // Thumbnails live beside the uploads, in the data dir: durable, and never served by file= itself.
    UiRoutes uiRoutes = new UiRoutes(files, new Thumbnails(uploadsDir.toAbsolutePath().resolveSibling("thumbs")), search);
    Path page = ui.gradioPage() ? null : ui.pageDir().filter(Files::isDirectory).orElse(null);
    this.app = Javalin.create(cfg -> {
      cfg.showJavalinBanner = false;
      cfg.requestLogger.http((ctx, ms) -> {
        metrics.request(ctx, ms);
        REQUESTS.info("{} {} {} {}ms", ctx.method(), ctx.path(), ctx.statusCode(), Math.round(ms));
      });
      cfg.jsonMapper(new JavalinJackson(dev.clipsearch.gradio.GradioJson.MAPPER, false));
      cfg.http.maxRequestSize = 1_000_000; // JSON bodies; uploads are multipart and bounded below
      cfg.jetty.multipartConfig.maxFileSize(limits.maxUploadBytes(), SizeUnit.BYTES);
      cfg.jetty.multipartConfig.maxTotalRequestSize(limits.maxUploadBytes() * 4 + 65_536, SizeUnit.BYTES);
      if (page != null) {
        cfg.staticFiles.add(s -> {
          s.hostedPath = "/";
          s.directory = page.toAbsolutePath().toString();
          s.location = Location.EXTERNAL;
        });
      }
      gradio.staticFiles(cfg);
    });
    ErrorMapping.register(app);
    Cors.register(app, ops.corsOrigins());
    ops.token().register(app); // after CORS, so a refused request still carries the CORS headers a browser needs
    metrics.queue(queue, streams);
    metrics.register(app);
    new HealthRoutes(readiness).register(app);
    appRoutes.registerRoot(app, queue, streams);
    gradio.registerRoot(app);
    for (String p : Routes.PREFIXES) {
      gradio.register(app, p);
      appRoutes.register(app, p);
      queueRoutes.register(app, p);
      callRoutes.register(app, p);
      fileRoutes.register(app, p);
      uiRoutes.register(app, p);
    }
    if (page == null && !gradio.servesPage()) {
      app.get("/", ctx -> ctx.contentType("text/html; charset=utf-8").result(IndexPage.html()));
    }
  }

  /** Binds and starts; {@code port} 0 picks a free port (see {@link #port()}). */
  public WebServer start(int port, String host) {
    app.start(host, port);
    return this;
  }

  /** The bound port (after {@link #start}). */
  public int port() {
    return app.port();
  }

  /** Stops accepting, ends open streams, cancels queued events, then stops Jetty. */
  public void stop() {
    heartbeats.close();
    queue.close();
    streams.close();
    app.stop();
    readiness.close();
    uploadSpace.close();
  }

  @Override
  public void close() {
    stop();
  }
}
