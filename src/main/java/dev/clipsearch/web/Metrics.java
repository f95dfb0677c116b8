package dev.clipsearch.web;

import dev.clipsearch.gradio.EventQueue;
import dev.clipsearch.store.StoreCallObserver;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The Prometheus registry behind {@code GET /metrics} (text format 0.0.4, written by Micrometer's Prometheus
 * registry). The composition root hands {@link #registry()} to the components that record their own meters (the
 * batchers); this class records the web layer's and the store's. Label values are only route templates, methods,
 * statuses and fixed words, never raw paths or user input, so the number of series stays bounded.
 */
public final class Metrics implements StoreCallObserver {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  /** From a cached query (1 ms) to a large image batch under load (30 s). */
  private static final Duration[] BUCKETS = seconds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
      10, 30);

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  /**
   * With the process's own meters: heap and non-heap by pool, live threads, open files (jvm_*, process_files_*), and
   * the resident set size, which is what a container's memory limit counts.
   */
  public Metrics() {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    Gauge.builder("process.resident.memory", Metrics::residentBytes).baseUnit("bytes")
        .description("Resident set size of this process (Linux /proc/self/statm), native memory included.")
        .register(registry);
  }

  /** A process-wide gauge from the composition root (e.g. the native memory the model's library holds). */
  public void gauge(String name, String description, String unit, Supplier<Number> value) {
    Gauge.builder(name, value).baseUnit(unit).description(description).strongReference(true).register(registry);
  }

  /** Where components record their meters; /metrics shows everything in it. */
  public MeterRegistry registry() {
    return registry;
  }

  /** Counts one finished HTTP request under its route template (e.g. {@code /gradio_api/file=<path>}). */
  void request(Context ctx, double millis) {
    String method = ctx.method().name();
    String route = route(ctx);
    Counter.builder("clipsearch.http.requests").description("HTTP requests by method, route template and status.")
        .tags("method", method, "route", route, "status", Integer.toString(ctx.statusCode())).register(registry)
        .increment();
    Timer.builder("clipsearch.http.request.duration")
        .description("HTTP request latency by method and route template (SSE routes: the stream's lifetime).")
        .tags("method", method, "route", route).serviceLevelObjectives(BUCKETS).register(registry)
        .record((long) (millis * 1e6), TimeUnit.NANOSECONDS);
  }

  /** Counts one failed queue event by the status ErrorMapping gives its cause (the HTTP status was 200: SSE). */
  void eventError(int status) {
    Counter.builder("clipsearch.gradio.event.errors").description("Failed Gradio queue events by the status their error maps to.")
        .tag("status", Integer.toString(status)).register(registry).increment();
  }

  @Override
  public void called(String operation, long nanos, boolean ok) {
    Timer.builder("clipsearch.store.call.duration").description("Vector store call latency by operation.")
        .tag("operation", operation).serviceLevelObjectives(BUCKETS).register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
    if (!ok) {
      Counter.builder("clipsearch.store.call.failures").description("Failed vector store calls by operation.")
          .tag("operation", operation).register(registry).increment();
    }
  }

  void queue(EventQueue q, SseStreams streams) {
    queueGauge("queued", q, EventQueue::queuedCount);
    queueGauge("running", q, EventQueue::runningCount);
    queueGauge("sessions", q, EventQueue::sessionCount);
    queueGauge("streams", streams, SseStreams::open);
  }

  private <T> void queueGauge(String state, T source, ToDoubleFunction<T> value) {
    Gauge.builder("clipsearch.gradio.queue", source, value)
        .description("Gradio queue now: queued and running events, sessions, streams.").tag("state", state)
        .strongReference(true).register(registry);
  }

  /** Open HTTP connections, whatever they are doing. */
  void connections(IntSupplier open) {
    Gauge.builder("clipsearch.http.connections", open::getAsInt).description("Open HTTP connections.")
        .strongReference(true).register(registry);
  }

  /** Size and file count of one bounded folder under the data directory. */
  void diskCache(String cache, LongSupplier bytes, IntSupplier files) {
    Gauge.builder("clipsearch.disk.cache", bytes::getAsLong).baseUnit("bytes").tag("cache", cache)
        .description("Bytes held by each bounded on-disk cache.").strongReference(true).register(registry);
    Gauge.builder("clipsearch.disk.cache.files", files::getAsInt).tag("cache", cache)
        .description("Files held by each bounded on-disk cache.").strongReference(true).register(registry);
  }

  /** RSS in bytes from /proc/self/statm (pages × 4 KiB); 0 where there is no procfs. */
  static long residentBytes() {
    try {
      String[] statm = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/statm")).trim().split(" ");
      return Long.parseLong(statm[1]) * 4096;
    } catch (java.io.IOException | RuntimeException e) {
      return 0;
    }
  }

  /**
   * What the engine runs on, as the labels of one {@code clipsearch_engine_info} series of value 1: CPU model, cores,
   * the precision-relevant CPU flags, device, precision and why it was chosen. Fixed at start.
   */
  public void engineInfo(Map<String, String> labels) {
    List<Tag> tags = labels.entrySet().stream().map(e -> Tag.of(e.getKey(), e.getValue())).toList();
    Gauge.builder("clipsearch.engine.info", () -> 1)
        .description("The engine's CPU, its precision-relevant flags, device and precision.").tags(tags)
        .strongReference(true).register(registry);
  }

  void register(Javalin app) {
    app.get("/metrics", ctx -> ctx.contentType(CONTENT_TYPE).result(scrape()));
  }

  /** The exposition in Prometheus text format 0.0.4. */
  String scrape() {
    return registry.scrape();
  }

  /** Javalin's matched template, so /file=a.png and /file=b.png are one series; unmatched requests share one. */
  private static String route(Context ctx) {
    try {
      String p = ctx.endpointHandlerPath();
      return p == null || p.isEmpty() || p.equals("*") ? "other" : p;
    } catch (RuntimeException e) {
      return ctx.statusCode() == 404 ? "unmatched" : "other";
    }
  }

  private static Duration[] seconds(double... s) {
    Duration[] d = new Duration[s.length];
    for (int i = 0; i < s.length; i++) {
      d[i] = Duration.ofNanos(Math.round(s[i] * 1e9));
    }
    return d;
  }
}
