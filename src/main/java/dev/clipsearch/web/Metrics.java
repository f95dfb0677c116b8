package dev.clipsearch.web;

import dev.clipsearch.gradio.EventQueue;
import dev.clipsearch.store.StoreCallObserver;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Prometheus metrics, written by hand in text exposition format 0.0.4 (a handful of families does not justify a client
 * library and its registry). Label values are only route templates, methods, statuses and fixed words, never raw paths
 * or user input, so the number of series stays bounded.
 */
public final class Metrics implements StoreCallObserver {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  /** key "method route status" → count; "method route" → latency. */
  private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
  private final Map<String, Histogram> latency = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> eventErrors = new ConcurrentHashMap<>();
  private final Map<String, Histogram> storeLatency = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> storeFailures = new ConcurrentHashMap<>();
  private volatile Supplier<Map<String, Long>> queueGauges = Map::of;
  private volatile BatcherMetrics batchers = BatcherMetrics.NONE;
  private volatile Map<String, String> engineInfo = Map.of();

  /** Counts one finished HTTP request under its route template (e.g. {@code /gradio_api/file=<path>}). */
  void request(Context ctx, double millis) {
    String key = ctx.method().name() + " " + route(ctx);
    requests.computeIfAbsent(key + " " + ctx.statusCode(), k -> new LongAdder()).increment();
    latency.computeIfAbsent(key, k -> new Histogram()).observeNanos((long) (millis * 1e6));
  }

  /** Counts one failed queue event by the status ErrorMapping gives its cause (the HTTP status was 200: SSE). */
  void eventError(int status) {
    eventErrors.computeIfAbsent(Integer.toString(status), k -> new LongAdder()).increment();
  }

  @Override
  public void called(String operation, long nanos, boolean ok) {
    storeLatency.computeIfAbsent(operation, k -> new Histogram()).observeNanos(nanos);
    if (!ok) {
      storeFailures.computeIfAbsent(operation, k -> new LongAdder()).increment();
    }
  }

  void queue(EventQueue q, SseStreams streams) {
    queueGauges = () -> Map.of("queued", (long) q.queuedCount(), "running", (long) q.runningCount(),
        "sessions", (long) q.sessionCount(), "streams", (long) streams.open());
  }

  /** Where batcher totals come from; see {@link BatcherMetrics}. */
  public void batchers(BatcherMetrics source) {
    this.batchers = source == null ? BatcherMetrics.NONE : source;
  }

  /**
   * What the engine runs on, as the labels of one {@code clipsearch_engine_info} series of value 1: CPU model, cores,
   * the precision-relevant CPU flags, device, precision and why it was chosen. Fixed at start.
   */
  public void engineInfo(Map<String, String> labels) {
    this.engineInfo = Map.copyOf(labels);
  }

  void register(Javalin app) {
    app.get("/metrics", ctx -> ctx.contentType(CONTENT_TYPE).result(render()));
  }

  /** The whole exposition; families sorted so that scrapes diff cleanly. */
  String render() {
    StringBuilder out = new StringBuilder(8192);
    family(out, "clipsearch_http_requests_total", "counter", "HTTP requests by method, route template and status.");
    new TreeMap<>(requests).forEach((k, v) -> {
      String[] p = k.split(" ", 3);
      out.append("clipsearch_http_requests_total{method=\"").append(p[0]).append("\",route=\"").append(escape(p[1]))
          .append("\",status=\"").append(p[2]).append("\"} ").append(v.sum()).append('\n');
    });
    family(out, "clipsearch_http_request_duration_seconds", "histogram",
        "HTTP request latency by method and route template (SSE routes: the stream's lifetime).");
    new TreeMap<>(latency).forEach((k, h) -> {
      String[] p = k.split(" ", 2);
      h.write(out, "clipsearch_http_request_duration_seconds", "method=\"" + p[0] + "\",route=\"" + escape(p[1]) + "\"");
    });
    family(out, "clipsearch_gradio_event_errors_total", "counter",
        "Failed Gradio queue events by the status their error maps to.");
    new TreeMap<>(eventErrors).forEach((s, v) -> out.append("clipsearch_gradio_event_errors_total{status=\"").append(s)
        .append("\"} ").append(v.sum()).append('\n'));
    family(out, "clipsearch_gradio_queue", "gauge", "Gradio queue now: queued and running events, sessions, streams.");
    new TreeMap<>(queueGauges.get()).forEach((k, v) -> out.append("clipsearch_gradio_queue{state=\"").append(k)
        .append("\"} ").append(v).append('\n'));
    family(out, "clipsearch_store_call_duration_seconds", "histogram", "Vector store call latency by operation.");
    new TreeMap<>(storeLatency).forEach((op, h) ->
        h.write(out, "clipsearch_store_call_duration_seconds", "operation=\"" + op + "\""));
    family(out, "clipsearch_store_call_failures_total", "counter", "Failed vector store calls by operation.");
    new TreeMap<>(storeFailures).forEach((op, v) -> out.append("clipsearch_store_call_failures_total{operation=\"")
        .append(op).append("\"} ").append(v.sum()).append('\n'));
    batchers(out);
    if (!engineInfo.isEmpty()) {
      family(out, "clipsearch_engine_info", "gauge", "The engine's CPU, its precision-relevant flags, device and precision.");
      StringBuilder labels = new StringBuilder();
      new TreeMap<>(engineInfo).forEach((k, v) -> labels.append(labels.isEmpty() ? "" : ",").append(k).append("=\"")
          .append(escape(v)).append('"'));
      out.append("clipsearch_engine_info{").append(labels).append("} 1\n");
    }
    return out.toString();
  }

  private void batchers(StringBuilder out) {
    java.util.List<BatcherMetrics.Tower> towers;
    try {
      towers = batchers.sample();
    } catch (RuntimeException e) {
      towers = java.util.List.of(); // a broken hook must not take /metrics down with it
    }
    String[][] families = {
        {"clipsearch_batches_total", "counter", "Model batches run."},
        {"clipsearch_batch_items_total", "counter", "Requests encoded in batches (mean batch = items / batches)."},
        {"clipsearch_batch_rejected_total", "counter", "Requests refused because the batch queue was full."},
        {"clipsearch_batch_failed_total", "counter", "Requests whose batch failed in the model."},
        {"clipsearch_batch_queue_wait_seconds_total", "counter", "Summed time requests waited for their batch."},
        {"clipsearch_batch_compute_seconds_total", "counter", "Summed model time of batches."},
        {"clipsearch_batch_queued", "gauge", "Requests waiting for a batch now."}};
    for (int f = 0; f < families.length; f++) {
      family(out, families[f][0], families[f][1], families[f][2]);
      for (BatcherMetrics.Tower t : towers) {
        if (f == 6 && t.queued() < 0) {
          continue; // the source cannot say
        }
        double v = switch (f) {
          case 0 -> t.batches();
          case 1 -> t.items();
          case 2 -> t.rejected();
          case 3 -> t.failed();
          case 4 -> t.queueWaitSeconds();
          case 5 -> t.computeSeconds();
          default -> t.queued();
        };
        out.append(families[f][0]).append("{tower=\"").append(escape(t.tower())).append("\"} ").append(number(v))
            .append('\n');
      }
    }
  }

  private static void family(StringBuilder out, String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
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

  static String escape(String v) {
    return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  /** Prometheus floats: integers without ".0" noise, others in plain decimal. */
  static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, "%.6g", v).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
  }
}
