package dev.clipsearch.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Load driver for the batcher: starts {@code clip-search serve} once with batching on (defaults) and once with it off
 * ({@code --max-batch-text 1 --max-batch-image 1}), fires N closed-loop clients of text searches and of image searches
 * (N = 1, 4, 16, 64) through Gradio's {@code /call/search} (or {@code /run}), and writes throughput and p50/p99 to
 * {@code bench-results/batching.{json,md}}. Each cell is bounded: a warm-up, then a fixed measuring window.
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) dev.clipsearch.bench.LoadDriver \
 *     --model /tmp/vitb32/clip.pt [--seconds 6] [--warmup 2] [--clients 1,4,16,64] [--towers text,image]
 *     [--route call|run] [--url http://host:port (drive a running server: one mode)] [--out bench-results/batching]
 * </pre>
 * Every text query is distinct, and the server's text cache is off, so each request reaches the model.
 */
public final class LoadDriver {
  private LoadDriver() {}

  public static void main(String[] argv) throws Exception {
    Map<String, String> a = args(argv);
    Path model = Path.of(a.getOrDefault("model", "/tmp/vitb32/clip.pt")).toAbsolutePath();
    double seconds = Double.parseDouble(a.getOrDefault("seconds", "6"));
    double warmup = Double.parseDouble(a.getOrDefault("warmup", "2"));
    List<Integer> clients = new ArrayList<>();
    for (String c : a.getOrDefault("clients", "1,4,16,64").split(",")) {
      clients.add(Integer.parseInt(c.trim()));
    }
    List<String> towers = List.of(a.getOrDefault("towers", "text,image").split(","));
    String route = a.getOrDefault("route", "call");
    Path out = Path.of(a.getOrDefault("out", "bench-results/batching"));
    List<String> extra = a.containsKey("server-flags") ? List.of(a.get("server-flags").trim().split("\\s+")) : List.of();

    Map<String, List<String>> modes = new LinkedHashMap<>();
    modes.put("on", extra);
    List<String> off = new ArrayList<>(extra);
    off.addAll(List.of("--max-batch-text", "1", "--max-batch-image", "1"));
    modes.put("off", off);

    List<CellResult> cells = new ArrayList<>();
    Map<String, List<String>> serverMetrics = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> mode : modes.entrySet()) {
      if (a.containsKey("url")) {
        run(new GradioCalls(a.get("url"), route), "url", towers, clients, seconds, warmup, cells);
        break;
      }
      Path data = Files.createTempDirectory("bench-batching-");
      System.err.printf("== batching %s: starting server (%s)%n", mode.getKey(), String.join(" ", mode.getValue()));
      try (ServerProcess server = new ServerProcess(Path.of(a.getOrDefault("jar", "target/clip-search.jar")).toAbsolutePath(),
          model, data, mode.getValue())) {
        run(new GradioCalls(server.url(), route), mode.getKey(), towers, clients, seconds, warmup, cells);
        server.close();
        List<String> metrics = server.lines().stream().filter(l -> l.contains("MetricsLog")).toList();
        serverMetrics.put(mode.getKey(), metrics.isEmpty() ? server.tail(5) : metrics);
      }
    }
    Report.write(out, model, route, seconds, warmup, cells, serverMetrics);
  }

  private static void run(GradioCalls calls, String mode, List<String> towers, List<Integer> clients, double seconds,
      double warmup, List<CellResult> cells) throws Exception {
    Map<String, Object> image = calls.uploadTestImage();
    for (String tower : towers) {
      for (int n : clients) {
        CellResult r = cell(calls, mode, tower, n, seconds, warmup, image);
        cells.add(r);
        System.err.printf("batching %-3s %-5s N=%-3d %7.2f req/s  p50 %8.1f ms  p99 %8.1f ms  errors %d  load %.2f->%.2f%n",
            mode, tower, n, r.throughputPerSecond(), r.p50Millis(), r.p99Millis(), r.errors(), r.loadBefore(),
            r.loadAfter());
      }
    }
  }

  private static final AtomicLong QUERY = new AtomicLong();
  /** How long a cell waits for in-flight requests after its window: keeps every cell bounded on a slow box. */
  private static final long GRACE_SECONDS = 20;

  /** N closed-loop clients; requests that complete inside the measuring window (after the warm-up) are counted. */
  static CellResult cell(GradioCalls calls, String mode, String tower, int n, double seconds, double warmup,
      Map<String, Object> image) throws InterruptedException {
    long start = System.nanoTime();
    long measureFrom = start + (long) (warmup * 1e9);
    long end = measureFrom + (long) (seconds * 1e9);
    ConcurrentLinkedQueue<Double> latencies = new ConcurrentLinkedQueue<>();
    AtomicLong errors = new AtomicLong();
    AtomicReference<String> firstError = new AtomicReference<>();
    double loadBefore = Report.loadAverage();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Thread t = new Thread(() -> {
        while (System.nanoTime() < end) {
          long t0 = System.nanoTime();
          String err;
          try {
            err = tower.equals("text")
                ? calls.search("search", List.of("a photo of a red car number " + QUERY.incrementAndGet(), 10))
                : calls.search("search_image", List.of(image, 10));
          } catch (Exception e) {
            err = e.toString();
          }
          long t1 = System.nanoTime();
          if (t1 >= measureFrom && t1 <= end) { // completions inside the window, so slow requests still count
            if (err == null) {
              latencies.add((t1 - t0) / 1e6);
            } else {
              errors.incrementAndGet();
              firstError.compareAndSet(null, err);
            }
          }
        }
      }, "client-" + i);
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
    long grace = TimeUnit.SECONDS.toMillis(GRACE_SECONDS);
    long unfinished = 0;
    for (Thread t : threads) {
      t.join(Math.max(1, grace - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - end)));
      if (t.isAlive()) {
        unfinished++; // a daemon client still waiting: counted as an error, left to finish on its own
      }
    }
    if (unfinished > 0) {
      errors.addAndGet(unfinished);
      firstError.compareAndSet(null, unfinished + " requests still running " + GRACE_SECONDS + " s after the window");
    }
    return CellResult.of(mode, tower, n, seconds, new ArrayList<>(latencies), errors.get(), loadBefore,
        Report.loadAverage(), firstError.get());
  }

  private static Map<String, String> args(String[] argv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < argv.length; i++) {
      if (!argv[i].startsWith("--") || i + 1 >= argv.length) {
        throw new IllegalArgumentException("expected --name value pairs, got " + argv[i]);
      }
      m.put(argv[i].substring(2), argv[++i]);
    }
    return m;
  }
}
