package dev.clipsearch.bench;

import dev.clipsearch.e2e.SoakRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The soak benchmark: the shipped jar serving an ingested folder, 32 closed-loop clients mixing text searches, image
 * searches and ingests for 10 minutes; writes per-minute throughput, failures, p50/p99 and server RSS to
 * {@code bench-results/soak.md}. SoakIT runs a one-minute version in CI.
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) dev.clipsearch.bench.SoakBench \
 *     --model ../shared/models/cifar-tiny-clip.pt --images ../shared/data/imagenet-sample [--clients 32] [--minutes 10]
 *     [--ingests false] [--out bench-results/soak.md]
 * </pre>
 * {@code --ingests false} turns the ingest share into text searches (see {@link SoakRun}).
 */
public final class SoakBench {
  private SoakBench() {
  }

  public static void main(String[] args) throws Exception {
    Path model = null;
    Path images = null;
    int clients = 32;
    boolean ingests = true;
    double minutes = 10;
    Path out = Path.of("bench-results/soak.md");
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--model" -> model = Path.of(args[i + 1]);
        case "--images" -> images = Path.of(args[i + 1]);
        case "--clients" -> clients = Integer.parseInt(args[i + 1]);
        case "--minutes" -> minutes = Double.parseDouble(args[i + 1]);
        case "--out" -> out = Path.of(args[i + 1]);
        case "--ingests" -> ingests = Boolean.parseBoolean(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (model == null || images == null) {
      throw new IllegalArgumentException("--model and --images are required");
    }
    Path data = Files.createTempDirectory("clip-search-soak");
    double load = loadAverage();
    SoakRun.Result r;
    try (ServerProcess server = new ServerProcess(Path.of("target/clip-search.jar"), model, data,
        List.of("--images", images.toString()))) {
      System.err.println("soak: server up at " + server.url() + ", " + clients + " clients for " + minutes + " min");
      r = new SoakRun(server.url(), server.pid(), ingests).run(clients, Duration.ofSeconds((long) (minutes * 60)),
          Duration.ofSeconds(60));
      if (r.failed() > 0) {
        System.err.println("soak: failures; the server's last lines:\n" + String.join("\n", server.tail(40)));
      }
    }
    Files.writeString(out, report(r, model, images, clients, minutes, ingests, load, loadAverage()));
    System.out.print(Files.readString(out));
  }

  private static String report(SoakRun.Result r, Path model, Path images, int clients, double minutes,
      boolean ingests, double load0,
      double load1) {
    List<String> lines = new ArrayList<>();
    lines.add("# Soak: mixed load for " + minutes + " minutes (" + Instant.now() + ")");
    lines.add("");
    lines.add("model `" + model.getFileName() + "`, " + clients + " closed-loop clients ("
        + (ingests ? "70 % text search, 20 % image search = upload + search_image, 10 % ingest = upload + ingest of a "
            + "new image" : "80 % text search, 20 % image search = upload + search_image, no ingests")
        + "), all through "
        + "`/gradio_api/call/...`; server started on `" + images + "`; " + Runtime.getRuntime().availableProcessors()
        + " cores, load average " + String.format("%.1f", load0) + " before and " + String.format("%.1f", load1)
        + " after.");
    lines.add("");
    lines.add("| minute | completed | calls/s | overloaded (503) | failed | p50 ms | p99 ms | server RSS MB (max) "
        + "| JVM RSS MB (max) | Milvus Lite RSS MB (max) | rows ingested |");
    lines.add("|---|---|---|---|---|---|---|---|---|---|---|");
    for (SoakRun.Window w : r.windows()) {
      lines.add(String.format("| %d | %d | %.1f | %d | %d | %.0f | %.0f | %d | %d | %d | %d |", w.second() / 60,
          w.completed(), w.completed() / 60.0, w.overloaded(), w.failed(), w.p50Ms(), w.p99Ms(), w.rssMb(),
          w.jvmRssMb(), w.childRssMb(), w.ingested()));
    }
    List<SoakRun.Window> after = r.windows().subList(Math.min(1, r.windows().size() - 1), r.windows().size());
    long min = after.stream().mapToLong(SoakRun.Window::rssMb).min().orElse(0);
    long max = after.stream().mapToLong(SoakRun.Window::rssMb).max().orElse(0);
    lines.add("");
    lines.add(String.format("Successful calls: %d text searches, %d image searches, %d ingests; %d overloaded, %d "
        + "failed%s.", r.texts(), r.images(), r.ingests(), r.overloaded(), r.failed(),
        r.failures().isEmpty() ? "" : " (first: " + r.failures().get(0) + ")"));
    lines.add("");
    lines.add("Latency by kind over the whole run:");
    r.p50p99ByKind().forEach((kind, q) -> {
      if (q[1] > 0) { // a kind the run did not do has no latencies
        lines.add(String.format("- %s: p50 %.0f ms, p99 %.0f ms", kind, q[0], q[1]));
      }
    });
    lines.add("");
    lines.add(String.format("RSS after the first minute: %d to %d MB (spread %.1f %% of the minimum; target 10 %%).",
        min, max, min == 0 ? 0 : 100.0 * (max - min) / min));
    lines.add(spread("the JVM alone", after.stream().mapToLong(SoakRun.Window::jvmRssMb).toArray()));
    lines.add(spread("Milvus Lite alone", after.stream().mapToLong(SoakRun.Window::childRssMb).toArray()));
    // Rows added between the first and the last window of the steady part, against Lite's RSS over the same span.
    int added = after.stream().skip(1).mapToInt(SoakRun.Window::ingested).sum();
    if (added > 0) {
      long grown = after.get(after.size() - 1).childRssMb() - after.get(0).childRssMb();
      lines.add(String.format("- Milvus Lite grew %d MB while %d rows were added: %.1f KB per stored row", grown, added,
          grown * 1024.0 / added));
    }
    lines.add("");
    lines.add("Reproduce: see the class comment of `src/test/java/dev/clipsearch/bench/SoakBench.java`.");
    return String.join("\n", lines) + "\n";
  }

  private static String spread(String what, long[] mb) {
    long min = java.util.Arrays.stream(mb).min().orElse(0);
    long max = java.util.Arrays.stream(mb).max().orElse(0);
    return String.format("- %s: %d to %d MB (spread %.1f %%)", what, min, max, min == 0 ? 0 : 100.0 * (max - min) / min);
  }

  private static double loadAverage() throws IOException {
    return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
  }
}
