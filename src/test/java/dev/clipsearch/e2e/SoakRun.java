package dev.clipsearch.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipsearch.testing.SseBodies;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;

/**
 * A mixed load against a running server, the way the UI and Gradio clients use it: closed-loop clients doing text
 * searches, image searches (upload + search_image) and ingests of new images (upload + ingest) in the shares of a
 * {@link Mix} (by default 70/20/10), all through {@code /gradio_api/call/...}. Records per window: completed calls,
 * deliberate overload (503), other failures, p50/p99 overall and per kind, successful ingests, the RSS of the server
 * JVM and of its children (Milvus Lite), and the server's own gauges read from /metrics at the window's end (heap,
 * native memory, threads, open files, connections, on-disk caches), plus the data directory's size and file count
 * when it is given. Used by {@code SoakIT}, {@code HostileTrafficIT} and {@code QueryUploadsIT} (short, in CI) and
 * by {@code bench.SoakBench} (the long runs). Without ingests the stored data stays the same, which tells memory held
 * per stored row from a leak.
 */
public final class SoakRun {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] WORDS = {"dog", "cat", "car", "boat", "bird", "plane", "horse", "truck", "frog",
      "deer", "ship", "tree", "house", "beach", "mountain", "flower", "red", "white", "small", "running"};

  /** Shares of text searches, image searches and ingests, in percent (they sum to 100). */
  public record Mix(int text, int image, int ingest) {
    public static final Mix DEFAULT = new Mix(70, 20, 10);
    public static final Mix SEARCHES = new Mix(80, 20, 0);
    public static final Mix INGESTS = new Mix(0, 0, 100);
    public static final Mix IMAGE_SEARCHES = new Mix(0, 100, 0);

    public Mix {
      if (text + image + ingest != 100 || text < 0 || image < 0 || ingest < 0) {
        throw new IllegalArgumentException("shares must sum to 100");
      }
    }

    String kind(int percentile) {
      return percentile < ingest ? "ingest" : percentile < ingest + image ? "image" : "text";
    }
  }

  /** Successful calls and their p50/p99 for one kind in one window; failures counted apart. */
  public record KindStats(int calls, int failed, double p50Ms, double p99Ms) {}

  /**
   * One window; RSS maxima of the whole tree, of the server JVM alone and of its children (Milvus Lite); per-kind
   * stats; the server's gauges at the window's end (see {@link #GAUGES}; absent when /metrics could not be read);
   * the data directory's bytes and files (-1 when not measured).
   */
  public record Window(int second, int completed, int overloaded, int failed, double p50Ms, double p99Ms,
      long rssMb, long jvmRssMb, long childRssMb, int ingested, Map<String, KindStats> byKind,
      Map<String, Double> server, long dataDirBytes, long dataDirFiles) {}

  /** The /metrics series sampled at each window's end, by the short name the reports use. */
  public static final Map<String, String> GAUGES = Map.ofEntries(
      Map.entry("heap", "jvm_memory_used_bytes{area=\"heap\""),
      Map.entry("native", "clipsearch_native_javacpp_bytes"),
      Map.entry("threads", "jvm_threads_live_threads"),
      Map.entry("files", "process_files_open_files"),
      Map.entry("connections", "clipsearch_http_connections"),
      Map.entry("uploads", "clipsearch_disk_cache_bytes{cache=\"uploads\""),
      Map.entry("uploadFiles", "clipsearch_disk_cache_files{cache=\"uploads\""),
      Map.entry("queryImages", "clipsearch_disk_cache_bytes{cache=\"query_images\""),
      Map.entry("thumbnails", "clipsearch_disk_cache_bytes{cache=\"thumbnails\""),
      Map.entry("nativePointers", "clipsearch_native_javacpp_pointers"),
      Map.entry("rss", "process_resident_memory_bytes"),
      Map.entry("shed", "clipsearch_shed_total"),
      Map.entry("shed.headerTimeout", "clipsearch_shed_total{reason=\"header_timeout\""),
      Map.entry("shed.bodyTimeout", "clipsearch_shed_total{reason=\"body_timeout\""),
      Map.entry("shed.bodyTooLarge", "clipsearch_shed_total{reason=\"body_too_large\""),
      Map.entry("shed.streamsPerClient", "clipsearch_shed_total{reason=\"streams_per_client\""),
      Map.entry("shed.connectionsPerClient", "clipsearch_shed_total{reason=\"connections_per_client\""),
      Map.entry("shed.queueFull", "clipsearch_shed_total{reason=\"queue_full\""));

  /**
   * The whole run: successful calls per kind (each successful ingest stored one new image), overload answers, other
   * failures and the first few of their descriptions.
   */
  public record Result(List<Window> windows, int texts, int images, int ingests, int overloaded, int failed,
      List<String> failures, Map<String, double[]> p50p99ByKind) {}

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();
  private final String api;
  private final String base;
  private final long serverPid;
  private final Mix mix;
  private Path dataDir;

  public SoakRun(String url, long serverPid) {
    this(url, serverPid, Mix.DEFAULT);
  }

  public SoakRun(String url, long serverPid, boolean withIngests) {
    this(url, serverPid, withIngests ? Mix.DEFAULT : Mix.SEARCHES);
  }

  public SoakRun(String url, long serverPid, Mix mix) {
    this.base = url.replaceAll("/+$", "");
    this.api = base + "/gradio_api";
    this.serverPid = serverPid;
    this.mix = mix;
  }

  /** Also measures this data directory's size and file count at each window's end. */
  public SoakRun measuring(Path dataDir) {
    this.dataDir = dataDir;
    return this;
  }

  public Result run(int clients, Duration length, Duration window) throws InterruptedException {
    long start = System.nanoTime();
    long end = start + length.toNanos();
    List<List<Double>> latencies = Collections.synchronizedList(new ArrayList<>());
    int windows = (int) Math.ceil((double) length.toNanos() / window.toNanos());
    int[][] counts = new int[windows][4]; // completed, overloaded, failed, ingested
    long[] rss = new long[windows];
    long[] jvmRss = new long[windows];
    long[] childRss = new long[windows];
    List<Map<String, List<Double>>> kindLatencies = new ArrayList<>();
    List<Map<String, AtomicInteger>> kindFailures = new ArrayList<>();
    List<Map<String, Double>> gauges = new ArrayList<>();
    long[][] disk = new long[windows][2];
    for (int i = 0; i < windows; i++) {
      latencies.add(Collections.synchronizedList(new ArrayList<>()));
      Map<String, List<Double>> k = new java.util.TreeMap<>();
      Map<String, AtomicInteger> f = new java.util.TreeMap<>();
      for (String kind : List.of("text", "image", "ingest")) {
        k.put(kind, Collections.synchronizedList(new ArrayList<>()));
        f.put(kind, new AtomicInteger());
      }
      kindLatencies.add(k);
      kindFailures.add(f);
      gauges.add(Map.of());
      disk[i][0] = -1;
      disk[i][1] = -1;
    }
    AtomicInteger texts = new AtomicInteger();
    AtomicInteger images = new AtomicInteger();
    AtomicInteger ingests = new AtomicInteger();
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    Map<String, List<Double>> byKind = Map.of("text", Collections.synchronizedList(new ArrayList<>()),
        "image", Collections.synchronizedList(new ArrayList<>()), "ingest",
        Collections.synchronizedList(new ArrayList<>()));
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int client = c;
      Thread t = new Thread(() -> {
        Random r = new Random(client);
        int n = 0;
        while (System.nanoTime() < end) {
          String kind = mix.kind(r.nextInt(100));
          long t0 = System.nanoTime();
          String error;
          AtomicInteger succeeded = kind.equals("ingest") ? ingests : kind.equals("image") ? images : texts;
          try {
            if (kind.equals("ingest")) {
              error = call("ingest", List.of(upload(image(client * 1_000_000L + n)), "soak " + client + "-" + n));
            } else if (kind.equals("image")) {
              error = call("search_image", List.of(upload(image(r.nextInt(50))), 10));
            } else {
              error = call("search", List.of("a photo of a " + WORDS[r.nextInt(WORDS.length)] + " "
                  + WORDS[r.nextInt(WORDS.length)] + " " + n, 10));
            }
            if (error == null) {
              succeeded.incrementAndGet();
            }
          } catch (IOException e) {
            error = "IOException " + e.getMessage();
          } catch (InterruptedException e) {
            return;
          }
          n++;
          long now = System.nanoTime();
          int w = (int) Math.min(windows - 1, (now - start) / window.toNanos());
          synchronized (counts) {
            counts[w][error == null ? 0 : error.startsWith("HTTP 503") ? 1 : 2]++;
            if (error == null && kind.equals("ingest")) {
              counts[w][3]++;
            }
          }
          if (error == null) {
            latencies.get(w).add((now - t0) / 1e6);
            byKind.get(kind).add((now - t0) / 1e6);
            kindLatencies.get(w).get(kind).add((now - t0) / 1e6);
          } else {
            kindFailures.get(w).get(kind).incrementAndGet();
            if (!error.startsWith("HTTP 503") && failures.size() < 20) {
              failures.add(error);
            }
          }
        }
      }, "soak-" + c);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    int sampled = -1;
    while (System.nanoTime() < end) {
      int w = (int) Math.min(windows - 1, (System.nanoTime() - start) / window.toNanos());
      long tree = treeRssBytes(serverPid);
      long jvm = rssBytes(serverPid);
      rss[w] = Math.max(rss[w], tree >> 20);
      jvmRss[w] = Math.max(jvmRss[w], jvm >> 20);
      childRss[w] = Math.max(childRss[w], (tree - jvm) >> 20);
      long windowEnd = start + (w + 1) * window.toNanos();
      if (sampled < w && (windowEnd - System.nanoTime() < 1_500_000_000L || w == windows - 1
          && end - System.nanoTime() < 1_500_000_000L)) {
        sampled = w; // the last second or so of the window: its end state
        Map<String, Double> g = new java.util.TreeMap<>(serverGauges());
        threadPools(serverPid).forEach((pool, n) -> g.put("threads." + pool, (double) n));
        gauges.set(w, g);
        long[] d = dataDir == null ? new long[] {-1, -1} : sizeAndFiles(dataDir);
        disk[w] = d;
      }
      Thread.sleep(1000);
    }
    for (Thread t : threads) {
      t.join(130_000);
    }
    List<Window> out = new ArrayList<>();
    int overloaded = 0;
    int failed = 0;
    for (int i = 0; i < windows; i++) {
      List<Double> l = new ArrayList<>(latencies.get(i));
      Collections.sort(l);
      Map<String, KindStats> kinds = new java.util.TreeMap<>();
      for (Map.Entry<String, List<Double>> e : kindLatencies.get(i).entrySet()) {
        List<Double> k = new ArrayList<>(e.getValue());
        Collections.sort(k);
        kinds.put(e.getKey(), new KindStats(k.size(), kindFailures.get(i).get(e.getKey()).get(),
            percentile(k, 0.50), percentile(k, 0.99)));
      }
      out.add(new Window((int) ((i + 1) * window.toSeconds()), counts[i][0], counts[i][1], counts[i][2],
          percentile(l, 0.50), percentile(l, 0.99), rss[i], jvmRss[i],
          childRss[i], counts[i][3], kinds, gauges.get(i), disk[i][0], disk[i][1]));
      overloaded += counts[i][1];
      failed += counts[i][2];
    }
    Map<String, double[]> kinds = new java.util.TreeMap<>();
    byKind.forEach((kind, l) -> {
      List<Double> sorted = new ArrayList<>(l);
      Collections.sort(sorted);
      kinds.put(kind, new double[] {percentile(sorted, 0.50), percentile(sorted, 0.99)});
    });
    return new Result(out, texts.get(), images.get(), ingests.get(), overloaded, failed, List.copyOf(failures),
        kinds);
  }

  /** The {@link #GAUGES} now, summed over their series (heap pools, shed reasons); empty if /metrics fails. */
  public Map<String, Double> serverGauges() {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      Map<String, Double> out = new java.util.TreeMap<>();
      for (String line : r.body().split("\n")) {
        if (line.startsWith("#")) {
          continue;
        }
        for (Map.Entry<String, String> g : GAUGES.entrySet()) {
          String prefix = g.getValue();
          if (line.startsWith(prefix) && (line.length() == prefix.length() || " {,}".indexOf(line.charAt(prefix.length())) >= 0)) {
            double v = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            out.merge(g.getKey(), v, Double::sum);
          }
        }
      }
      return out;
    } catch (IOException | RuntimeException e) {
      return Map.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Map.of();
    }
  }

  /**
   * Total bytes and regular files under {@code dir}; files and folders that vanish while walking (an evicted upload,
   * a swept upload folder) are skipped. {@code Files.walk} would end the whole walk on the first folder deleted under
   * it, which made the long run's disk column blank.
   */
  public static long[] sizeAndFiles(Path dir) {
    long[] acc = new long[2];
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes a) {
          if (a.isRegularFile()) {
            acc[0] += a.size();
            acc[1]++;
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException gone) {
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path folder, IOException goneWhileListed) {
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      return new long[] {-1, -1};
    }
    return acc;
  }

  private static double percentile(List<Double> sorted, double q) {
    return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
  }

  /**
   * The live threads of a process by pool (Linux /proc): each thread's name (cut to 15 characters by the kernel)
   * without its trailing number, so "gradio-stream-12" and "gradio-stream-3" count as "gradio-stream". Shows which
   * pool a change in the thread count comes from; empty when the process is gone.
   */
  public static Map<String, Integer> threadPools(long pid) {
    Map<String, Integer> pools = new java.util.TreeMap<>();
    try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      tasks.forEach(task -> {
        try {
          String name = Files.readString(task.resolve("comm")).trim();
          pools.merge(name.replaceAll("[-_ ]*[0-9]+$", ""), 1, Integer::sum);
        } catch (IOException ended) {
          // the thread ended between listing and reading
        }
      });
    } catch (IOException | java.io.UncheckedIOException gone) {
      return Map.of();
    }
    return pools;
  }

  /** Summed RSS of a process and its descendants (Linux /proc); 0 when it is gone. */
  public static long treeRssBytes(long pid) {
    List<Long> pids = new ArrayList<>();
    pids.add(pid);
    ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(d -> pids.add(d.pid())));
    return pids.stream().mapToLong(SoakRun::rssBytes).sum();
  }

  /** RSS of one process (Linux /proc); 0 when it is gone. */
  public static long rssBytes(long pid) {
    try {
      String[] statm = Files.readString(Path.of("/proc/" + pid + "/statm")).trim().split(" ");
      return Long.parseLong(statm[1]) * 4096;
    } catch (IOException | RuntimeException e) {
      return 0; // the process ended between listing and reading
    }
  }

  /** One call through /call/{name} and its SSE stream: null on success, else what went wrong. */
  private String call(String name, List<Object> data) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(post(api + "/call/" + name, JSON.writeValueAsString(Map.of("data", data))),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      return "HTTP " + r.statusCode() + " " + r.body();
    }
    String id = JSON.readTree(r.body()).path("event_id").asText();
    HttpResponse<InputStream> s = http.send(HttpRequest.newBuilder(URI.create(api + "/call/" + name + "/" + id))
        .timeout(Duration.ofSeconds(120)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    String error = awaitCompletion(s.body());
    // The "busy" answer is a deliberate overload (503) in the event stream too.
    return error == null ? null : error.contains("busy") ? "HTTP 503 (event) " + error : name + ": " + error;
  }

  /** Reads a /call/{api}/{id} SSE stream to its end: null after {@code event: complete}, else what went wrong. */
  public static String awaitCompletion(InputStream sse) throws IOException {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(sse, StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        if (line.equals("event: complete")) {
          SseBodies.drain(in);
          return null;
        }
        if (line.equals("event: error")) {
          String error = "error event " + in.readLine();
          SseBodies.drain(in);
          return error;
        }
      }
    }
    return "stream ended without complete";
  }

  private static HttpRequest post(String url, String body) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  private Map<String, Object> upload(byte[] jpeg) throws IOException, InterruptedException {
    String boundary = "----soak" + System.nanoTime();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\"soak.jpg\"\r\n"
        + "Content-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    body.write(jpeg);
    body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(api + "/upload"))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary).timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
    JsonNode paths = JSON.readTree(r.body());
    if (r.statusCode() != 200 || !paths.isArray() || paths.isEmpty()) {
      throw new IOException("upload failed: HTTP " + r.statusCode() + " " + r.body());
    }
    return Map.of("path", paths.get(0).asText(), "meta", Map.of("_type", "gradio.FileData"));
  }

  /** A 320x240 JPEG whose content depends only on {@code seed}: new seeds are new images to ingest. */
  static byte[] image(long seed) throws IOException {
    BufferedImage img = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
    Random r = new Random(seed);
    int a = r.nextInt(256);
    int b = r.nextInt(256);
    for (int y = 0; y < 240; y++) {
      for (int x = 0; x < 320; x++) {
        img.setRGB(x, y, ((x * a / 320) & 255) << 16 | ((y * b / 240) & 255) << 8 | r.nextInt(256));
      }
    }
    ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
    ImageIO.write(img, "jpg", jpeg);
    return jpeg.toByteArray();
  }
}
