package dev.clipsearch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.clipsearch.e2e.HostileClients;
import dev.clipsearch.e2e.SoakRun;
import dev.clipsearch.web.RawClient;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The soak and long-run benchmarks: the shipped jar serving an ingested folder, closed-loop clients mixing text
 * searches, image searches (upload + search_image) and ingests (upload + ingest of a new image) through
 * {@code /gradio_api/call/...}; per window: calls, deliberate 503s, failures, p50/p99 per kind, RSS, heap, JavaCPP
 * native bytes, data-directory size and file count, threads, open files and connections. Optionally a background of
 * hostile connections from 127.0.0.2 ({@link HostileClients}), first probed on its own: honest searches with the
 * hostile connections held, and an upload announcing 10 GB. Writes {@code OUT.md} and {@code OUT.json}. SoakIT,
 * HostileTrafficIT and QueryUploadsIT run short versions in CI.
 *
 * <pre>
 * mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) dev.clipsearch.bench.SoakBench \
 *     --model ../shared/models/cifar-tiny-clip.pt --images ../shared/data/imagenet-sample [--clients 32]
 *     [--minutes 10] [--window-s 60] [--mix 70/20/10] [--hostile 0] [--probe-s 120]
 *     [--title Soak] [--out bench-results/soak] [--server-arg --flag --server-arg value ...]
 * </pre>
 * {@code --mix} is text/image/ingest in percent; {@code --server-arg} passes one word to {@code serve}.
 */
public final class SoakBench {
  private SoakBench() {
  }

  /** The honest searches measured while the hostile background alone is held, and the 10 GB refusal times. */
  record Probe(int hostile, int heldAtStart, int heldAtEnd, Map<String, Long> cut, int texts, int images,
      int overloaded, int failed, Map<String, double[]> p50p99ByKind, List<Long> tenGigRefusedMs) {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = new LinkedHashMap<>(Map.of("--clients", "32", "--minutes", "10", "--window-s", "60",
        "--mix", "70/20/10", "--hostile", "0", "--probe-s", "120", "--title", "Soak", "--out", "bench-results/soak"));
    List<String> serverArgs = new ArrayList<>();
    for (int i = 0; i < args.length; i += 2) {
      if (args[i].equals("--server-arg")) {
        serverArgs.add(args[i + 1]);
      } else if (o.containsKey(args[i]) || args[i].equals("--model") || args[i].equals("--images")) {
        o.put(args[i], args[i + 1]);
      } else {
        throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (!o.containsKey("--model") || !o.containsKey("--images")) {
      throw new IllegalArgumentException("--model and --images are required");
    }
    int[] shares = Arrays.stream(o.get("--mix").split("/")).mapToInt(Integer::parseInt).toArray();
    SoakRun.Mix mix = new SoakRun.Mix(shares[0], shares[1], shares[2]);
    int clients = Integer.parseInt(o.get("--clients"));
    int hostileCount = Integer.parseInt(o.get("--hostile"));
    Duration length = Duration.ofSeconds((long) (Double.parseDouble(o.get("--minutes")) * 60));
    Duration window = Duration.ofSeconds(Long.parseLong(o.get("--window-s")));
    Path data = Files.createTempDirectory("clip-search-soak");
    List<String> flags = new ArrayList<>(List.of("--images", o.get("--images")));
    flags.addAll(serverArgs);
    List<double[]> load = new CopyOnWriteArrayList<>();
    load.add(new double[] {0, loadAverage()});
    Instant started = Instant.now();
    Thread loadSampler = sampleLoadEveryMinute(load, started);
    Probe probe = null;
    SoakRun.Result r;
    try (ServerProcess server = new ServerProcess(Path.of("target/clip-search.jar"), Path.of(o.get("--model")), data,
        flags)) {
      System.err.println("soak: server up at " + server.url() + ", " + clients + " clients for " + length);
      HostileClients hostile = null;
      try {
        if (hostileCount > 0) {
          hostile = new HostileClients("127.0.0.2", URI.create(server.url()).getPort(), hostileCount);
          probe = probe(server, hostile, hostileCount, Duration.ofSeconds(Long.parseLong(o.get("--probe-s"))));
          System.err.println("soak: probe " + probe);
        }
        r = new SoakRun(server.url(), server.pid(), mix).measuring(data).run(clients, length, window);
      } finally {
        if (hostile != null) {
          hostile.close();
        }
      }
      if (r.failed() > 0) {
        System.err.println("soak: failures; the server's last lines:\n" + String.join("\n", server.tail(40)));
      }
    }
    loadSampler.interrupt();
    load.add(new double[] {Duration.between(started, Instant.now()).toSeconds() / 60.0, loadAverage()});
    String command = "SoakBench " + String.join(" ", args);
    Path out = Path.of(o.get("--out"));
    Files.writeString(Path.of(out + ".md"), markdown(o, mix, serverArgs, command, probe, r, load));
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("command", command);
    doc.put("date", started.toString());
    doc.put("cpu", cpuModel());
    doc.put("cpuFlags", cpuFlags());
    doc.put("cores", Runtime.getRuntime().availableProcessors());
    doc.put("loadAverage", load);
    doc.put("mix", mix);
    doc.put("clients", clients);
    doc.put("serverArgs", serverArgs);
    doc.put("hostileProbe", probe);
    doc.put("result", r);
    doc.put("rssSlopePercentPer10MinAfter10Min", rssSlope(r.windows(), window, SoakRun.Window::rssMb));
    doc.put("jvmRssSlopePercentPer10MinAfter10Min", rssSlope(r.windows(), window, SoakRun.Window::jvmRssMb));
    json.writeValue(Path.of(out + ".json").toFile(), doc);
    System.out.print(Files.readString(Path.of(out + ".md")));
  }

  /**
   * Waits for the hostile connections, then searches only ({@code clients} = 16) with them held, and times five
   * uploads announcing 10 GB from the honest address.
   */
  private static Probe probe(ServerProcess server, HostileClients hostile, int count, Duration length)
      throws Exception {
    long until = System.nanoTime() + 60_000_000_000L;
    while (hostile.open() < count * 0.95 && System.nanoTime() < until) {
      Thread.sleep(100);
    }
    Thread.sleep(2_000);
    int held = hostile.open();
    SoakRun.Result r = new SoakRun(server.url(), server.pid(), SoakRun.Mix.SEARCHES).run(16, length, length);
    List<Long> refused = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      try (RawClient c = new RawClient("127.0.0.1", URI.create(server.url()).getPort())) {
        long t0 = System.nanoTime();
        c.send(RawClient.head("POST", "/gradio_api/upload", "multipart/form-data; boundary=b", 10L << 30) + "--b\r\n");
        int status = c.readStatus(10_000);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        refused.add(status == 413 ? ms : -status); // a negative entry: not a 413 (the status, negated)
      }
    }
    return new Probe(count, held, hostile.open(), Map.copyOf(cutByName(hostile)), r.texts(), r.images(),
        r.overloaded(), r.failed(), r.p50p99ByKind(), refused);
  }

  private static Map<String, Long> cutByName(HostileClients h) {
    Map<String, Long> m = new LinkedHashMap<>();
    h.cut().forEach((k, v) -> m.put(k.name(), v));
    return m;
  }

  private static String markdown(Map<String, String> o, SoakRun.Mix mix, List<String> serverArgs, String command,
      Probe p, SoakRun.Result r, List<double[]> load) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("# " + o.get("--title") + ": " + o.get("--clients") + " clients, mixed load for " + o.get("--minutes")
        + " minutes (" + Instant.now() + ")");
    lines.add("");
    lines.add("Model `" + Path.of(o.get("--model")).getFileName() + "`, closed-loop clients: " + mix.text()
        + " % text search, " + mix.image() + " % image search (upload + search_image), " + mix.ingest()
        + " % ingest (upload + ingest of a new image), all through `/gradio_api/call/...`; server started on `"
        + o.get("--images") + "`" + (serverArgs.isEmpty() ? "" : " with `" + String.join(" ", serverArgs) + "`")
        + "; CPU " + cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores.");
    lines.add("");
    lines.add("Load average (1 min) at minute: " + String.join(", ", load.stream()
        .map(l -> String.format("%.0f: %.1f", l[0], l[1])).toList()) + ".");
    lines.add("");
    if (p != null) {
      lines.add(String.format("Hostile background: %d connections from 127.0.0.2 (a quarter each: half-sent bodies, "
          + "half-sent uploads, trickled headers, unread heartbeat streams), reopened a second after the server "
          + "closes one; %d open when the probe started, %d at its end; closed or refused by the server so far: %s.",
          p.hostile(), p.heldAtStart(), p.heldAtEnd(), p.cut()));
      lines.add(String.format("- honest searches with them held (16 clients, searches only): %d text, %d image, %d "
          + "overloaded, %d failed; %s", p.texts(), p.images(), p.overloaded(), p.failed(), kinds(p.p50p99ByKind())));
      lines.add("- upload announcing 10 GB refused (413) after, ms: " + p.tenGigRefusedMs());
      lines.add("");
    }
    lines.add("| min | calls | 503 | failed | text p50/p99 ms | image p50/p99 ms | ingest p50/p99 ms | RSS MB | JVM RSS "
        + "MB | heap MB | JavaCPP KB / pointers | data dir MB | files | threads | open files | connections |");
    lines.add("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (SoakRun.Window w : r.windows()) {
      Map<String, Double> g = w.server();
      lines.add(String.format("| %s | %d | %d | %d | %s | %s | %s | %d | %d | %s | %s | %s | %s | %s | %s | %s |",
          minutes(w.second()), w.completed(), w.overloaded(), w.failed(), kind(w, "text"), kind(w, "image"),
          kind(w, "ingest"), w.rssMb(), w.jvmRssMb(), mb(g.get("heap")), javacpp(g),
          w.dataDirBytes() < 0 ? "-" : Long.toString(w.dataDirBytes() >> 20), w.dataDirFiles() < 0 ? "-"
              : Long.toString(w.dataDirFiles()), num(g.get("threads")), num(g.get("files")),
          num(g.get("connections"))));
    }
    lines.add("");
    lines.addAll(threadPoolTable(r.windows()));
    lines.add(String.format("Successful calls: %d text searches, %d image searches, %d ingests; %d overloaded (503), "
        + "%d failed%s.", r.texts(), r.images(), r.ingests(), r.overloaded(), r.failed(),
        r.failures().isEmpty() ? "" : " (first: " + r.failures().get(0) + ")"));
    lines.add("Whole run: " + kinds(r.p50p99ByKind()));
    SoakRun.Window last = r.windows().get(r.windows().size() - 1);
    Map<String, Double> gaugesAtEnd = new java.util.TreeMap<>(last.server());
    gaugesAtEnd.keySet().removeIf(k -> k.startsWith("threads.")); // in the table above
    lines.add("Server gauges at the end: " + gaugesAtEnd);
    Duration window = Duration.ofSeconds(Long.parseLong(o.get("--window-s")));
    lines.add(String.format("RSS slope after the first 10 minutes (least squares over the windows): whole tree %.2f "
        + "%%, JVM alone %.2f %% per 10 minutes.", rssSlope(r.windows(), window, SoakRun.Window::rssMb),
        rssSlope(r.windows(), window, SoakRun.Window::jvmRssMb)));
    lines.add("");
    lines.add("Command: `" + command + "` (see the class comment of `src/test/java/dev/clipsearch/bench/SoakBench.java`).");
    return String.join("\n", lines) + "\n";
  }

  /**
   * The server JVM's threads by pool at each window's end (named as /proc shows them, numbers stripped): a pool whose
   * count keeps rising is a leak, one that rises to its bound and stays there is not.
   */
  private static List<String> threadPoolTable(List<SoakRun.Window> windows) {
    java.util.SortedSet<String> pools = new java.util.TreeSet<>();
    for (SoakRun.Window w : windows) {
      for (String k : w.server().keySet()) {
        if (k.startsWith("threads.")) {
          pools.add(k.substring("threads.".length()));
        }
      }
    }
    if (pools.isEmpty()) {
      return List.of();
    }
    List<String> lines = new ArrayList<>();
    lines.add("Server threads by pool at each window's end:");
    lines.add("");
    lines.add("| pool | " + String.join(" | ", windows.stream().map(w -> "min " + minutes(w.second())).toList()) + " |");
    lines.add("|---|" + "---|".repeat(windows.size()));
    for (String pool : pools) {
      lines.add("| `" + pool + "` | " + String.join(" | ", windows.stream()
          .map(w -> num(w.server().get("threads." + pool))).toList()) + " |");
    }
    lines.add("");
    return lines;
  }

  private static String minutes(int second) {
    return second % 60 == 0 ? Integer.toString(second / 60) : String.format("%.1f", second / 60.0);
  }

  private static String kind(SoakRun.Window w, String kind) {
    SoakRun.KindStats s = w.byKind().get(kind);
    return s == null || s.calls() == 0 ? "-" : String.format("%.0f / %.0f", s.p50Ms(), s.p99Ms());
  }

  private static String kinds(Map<String, double[]> q) {
    List<String> out = new ArrayList<>();
    q.forEach((kind, v) -> {
      if (v[1] > 0) {
        out.add(String.format("%s p50 %.0f ms, p99 %.0f ms", kind, v[0], v[1]));
      }
    });
    return String.join("; ", out);
  }

  private static String mb(Double bytes) {
    return bytes == null ? "-" : Long.toString((long) (bytes / (1 << 20)));
  }

  private static String javacpp(Map<String, Double> g) {
    return g.get("native") == null ? "-" : (long) (g.get("native") / 1024) + " / " + num(g.get("nativePointers"));
  }

  private static String num(Double v) {
    return v == null ? "-" : Long.toString(v.longValue());
  }

  /** Least-squares slope of RSS over the windows that end after minute 10, in % of their mean per 10 minutes. */
  static double rssSlope(List<SoakRun.Window> windows, Duration window,
      java.util.function.ToLongFunction<SoakRun.Window> rss) {
    double[] x = windows.stream().filter(w -> w.second() > 600).mapToDouble(w -> w.second() / 600.0).toArray();
    double[] y = windows.stream().filter(w -> w.second() > 600).mapToDouble(w -> rss.applyAsLong(w)).toArray();
    if (x.length < 2) {
      return Double.NaN;
    }
    double mx = Arrays.stream(x).average().orElse(0);
    double my = Arrays.stream(y).average().orElse(0);
    double sxy = 0;
    double sxx = 0;
    for (int i = 0; i < x.length; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
    }
    return my == 0 ? Double.NaN : 100 * (sxy / sxx) / my;
  }

  private static Thread sampleLoadEveryMinute(List<double[]> load, Instant started) {
    Thread t = new Thread(() -> {
      try {
        while (true) {
          Thread.sleep(60_000);
          load.add(new double[] {Duration.between(started, Instant.now()).toSeconds() / 60.0, loadAverage()});
        }
      } catch (InterruptedException | IOException stop) {
        // the run is over
      }
    }, "load-sampler");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static double loadAverage() throws IOException {
    return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
  }

  private static String cpuModel() throws IOException {
    return cpuInfo("model name");
  }

  private static String cpuFlags() throws IOException {
    return cpuInfo("flags");
  }

  private static String cpuInfo(String key) throws IOException {
    return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith(key))
        .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
  }
}
