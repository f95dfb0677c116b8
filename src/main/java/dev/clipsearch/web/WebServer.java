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
import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.jetty.server.ConnectionLimit;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.FilterHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: a Gradio-compatible API (config/info, queue, call/run, upload/file) over a {@link SearchService} and
 * an {@link IngestService}, plus /health, /healthz, /readyz, /metrics and a UI. Lifecycle: construct, {@link #start}, {@link #stop} (also
 * {@link #close}); not restartable.
 *
 * <p>Threads it owns: Jetty's request pool (short handlers only: bodies are read before dispatch, see
 * {@link WholeBodyFilter}), {@code gradio-worker-*} (endpoint functions), {@code gradio-stream-*} (one per open SSE
 * stream, bounded), {@code gradio-heartbeat}, {@code gradio-housekeeping}, {@code connection-sweeper} and
 * {@code upload-sweeper}.
 */
public final class WebServer implements AutoCloseable {
  private static final Logger REQUESTS = LoggerFactory.getLogger("dev.clipsearch.web.requests");
  private final EventQueue queue;
  private final SseStreams streams;
  private final HeartbeatHub heartbeats;
  private final Javalin app;
  private final Readiness readiness;
  private final UploadSpace uploadSpace;
  private final ConnectionGuard guard;
  private volatile String bindHost;
  private volatile int bindPort;
  /** JSON bodies; larger is a 413 on its Content-Length. */
  static final long MAX_JSON_BYTES = 1_000_000;

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
    Shedding shed = new Shedding(metrics.registry());
    this.readiness = new Readiness(ops.readiness(), WebOps.CHECK_TIMEOUT);
    FilePolicy files = new FilePolicy(uploadsDir, search::isServable);
    UploadLimits up = limits.uploads();
    // Swept every 10 minutes (or every TTL when shorter): uploads that were only queries do not pile up.
    Duration sweepEvery = up.ttl().compareTo(Duration.ofMinutes(10)) < 0 ? up.ttl() : Duration.ofMinutes(10);
    this.uploadSpace = new UploadSpace(files.uploadsDir(), up.quotaBytes(), up.queryCacheBytes(), up.ttl(),
        sweepEvery, search::isServable);
    Blocks blocks = SearchAppBlocks.create(Query.MAX_K, Query.DEFAULT_K);
    SearchEndpoints endpoints = new SearchEndpoints(search, ingest, files, uploadSpace);
    this.queue = new EventQueue(blocks, endpoints.table(), SearchEndpoints.bulk(), limits.queue(), failure -> {
      metrics.eventError(ErrorMapping.status(failure));
      return ErrorMapping.eventMessage(failure);
    });
    ConnectionLimits conn = limits.connections();
    StreamQuota quota = new StreamQuota(conn.streamsPerClient(), conn.streamsPerSession(), shed);
    this.streams = new SseStreams(limits.maxStreams(), quota, shed);
    this.heartbeats = new HeartbeatHub(limits.heartbeat(), limits.maxStreams() * 4, quota);
    this.guard = new ConnectionGuard(conn, shed);
    long appId = ThreadLocalRandom.current().nextLong(1L << 53); // < 2^53: exact as a JS number
    SessionStreamer streamer = new SessionStreamer(queue, limits.heartbeat());
    ConfigBuilder config = new ConfigBuilder(blocks, appId, limits.maxUploadBytes());
    InfoBuilder info = new InfoBuilder(blocks);
    AppRoutes appRoutes = new AppRoutes(config, info, appId, heartbeats);
    GradioFrontend gradio = new GradioFrontend(ui.gradioFrontend(), ui.gradioPage(), config, info, blocks.title());
    QueueRoutes queueRoutes = new QueueRoutes(queue, streamer, streams, shed);
    CallRoutes callRoutes = new CallRoutes(queue, streamer, streams, shed);
    FileRoutes fileRoutes = new FileRoutes(files, limits.maxUploadBytes(), uploadSpace);
    // Thumbnails live beside the uploads, in the data dir: durable, and never served by file= itself.
    Thumbnails thumbnails = new Thumbnails(uploadsDir.toAbsolutePath().resolveSibling("thumbs"),
        up.thumbnailCacheBytes());
    UiRoutes uiRoutes = new UiRoutes(files, thumbnails, search, ops.ingest());
    long maxMultipartBytes = limits.maxUploadBytes() * 4 + 65_536;
    WholeBodyFilter bodies = new WholeBodyFilter(guard, shed, MAX_JSON_BYTES, maxMultipartBytes,
        conn.bodyTimeout().toMillis(), Path.of(System.getProperty("java.io.tmpdir"), "clip-search-bodies"));
    Path page = ui.gradioPage() ? null : ui.pageDir().filter(Files::isDirectory).orElse(null);
    this.app = Javalin.create(cfg -> {
      cfg.showJavalinBanner = false;
      cfg.requestLogger.http((ctx, ms) -> {
        metrics.request(ctx, ms);
        REQUESTS.info("{} {} {} {}ms", ctx.method(), ctx.path(), ctx.statusCode(), Math.round(ms));
      });
      cfg.jsonMapper(new JavalinJackson(dev.clipsearch.gradio.GradioJson.MAPPER, false));
      cfg.http.maxRequestSize = MAX_JSON_BYTES; // JSON bodies; uploads are multipart and bounded below
      cfg.jetty.multipartConfig.maxFileSize(limits.maxUploadBytes(), SizeUnit.BYTES);
      cfg.jetty.multipartConfig.maxTotalRequestSize(maxMultipartBytes, SizeUnit.BYTES);
      cfg.jetty.addConnector((server, http) -> connector(server, http, conn));
      cfg.jetty.modifyServletContextHandler(h -> h.addFilter(new FilterHolder(bodies), "/*",
          EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC)));
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
    metrics.connections(guard::openConnections);
    metrics.diskCache("uploads", uploadSpace::usedBytes, uploadSpace::files);
    metrics.diskCache("query_images", uploadSpace::queryCacheBytes, uploadSpace::queryCacheFiles);
    metrics.diskCache("thumbnails", thumbnails.cache()::bytes, thumbnails.cache()::files);
    metrics.register(app);
    new HealthRoutes(readiness, ops.ingest()).register(app);
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

  /**
   * The one HTTP connector, built by hand so that it carries the connection bounds: Jetty's idle timeout and total
   * cap ({@code ConnectionLimit}: stops accepting until connections close), and the {@link ConnectionGuard}.
   */
  private ServerConnector connector(Server server, HttpConfiguration http, ConnectionLimits limits) {
    // Dispatch on the headers: Jetty's default waits for the first body byte, which delays the 413 of an announced
    // oversized body until the client sends some. No thread waits either way: WholeBodyFilter reads asynchronously.
    http.setDelayDispatchUntilContent(false);
    ServerConnector c = new ServerConnector(server, new HttpConnectionFactory(http));
    c.setHost(bindHost);
    c.setPort(bindPort);
    c.setIdleTimeout(limits.idleTimeout().toMillis());
    c.addBean(guard);
    server.addBean(new ConnectionLimit(limits.maxConnections(), c));
    return c;
  }

  /** Binds and starts; {@code port} 0 picks a free port (see {@link #port()}). */
  public WebServer start(int port, String host) {
    this.bindHost = host;
    this.bindPort = port;
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
    guard.close();
  }

  @Override
  public void close() {
    stop();
  }
}
