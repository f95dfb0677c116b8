package dev.clipsearch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.clipsearch.model.runtime.CpuFeatures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes the driver's results as JSON (all fields) and Markdown (the on/off table and the targets). */
final class Report {
  private Report() {}

  static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  static void write(Path out, Path model, String route, double seconds, double warmup, List<CellResult> cells,
      Map<String, List<String>> serverMetrics) throws IOException {
    Files.createDirectories(out.toAbsolutePath().getParent());
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("when", Instant.now().toString());
    json.put("model", model.toString());
    json.put("route", route);
    json.put("cores", Runtime.getRuntime().availableProcessors());
    json.put("cpu", CpuFeatures.detect().toString());
    json.put("secondsPerCell", seconds);
    json.put("warmupSeconds", warmup);
    json.put("cells", cells);
    json.put("serverMetrics", serverMetrics);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(out.resolveSibling(out.getFileName() + ".json").toFile(), json);
    Files.writeString(out.resolveSibling(out.getFileName() + ".md"), markdown(model, route, seconds, warmup, cells,
        serverMetrics));
  }

  static String markdown(Path model, String route, double seconds, double warmup, List<CellResult> cells,
      Map<String, List<String>> serverMetrics) {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "# Batching on vs off (%s)%n%n", Instant.now()));
    s.append(String.format(Locale.ROOT, "model `%s`, route `/gradio_api/%s/...`, %s, %.0f s warm-up + %.0f s per cell, "
        + "closed-loop clients, distinct queries, text cache off, empty collection.%n%n",
        model.getFileName(), route, CpuFeatures.detect(), warmup, seconds));
    s.append("| tower | clients | on req/s | on p50 ms | on p99 ms | off req/s | off p50 ms | off p99 ms | on/off throughput | load (on; off) |\n");
    s.append("|---|---|---|---|---|---|---|---|---|---|\n");
    for (CellResult on : cells) {
      if (!on.mode().equals("on")) {
        continue;
      }
      CellResult off = find(cells, "off", on.tower(), on.clients());
      s.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.0f | %.0f | %s | %s | %s | %s | %.1f-%.1f; %s |%n",
          on.tower(), on.clients(), on.throughputPerSecond(), on.p50Millis(), on.p99Millis(),
          off == null ? "-" : fmt(off.throughputPerSecond(), 2), off == null ? "-" : fmt(off.p50Millis(), 0),
          off == null ? "-" : fmt(off.p99Millis(), 0),
          off == null ? "-" : fmt(on.throughputPerSecond() / off.throughputPerSecond(), 2) + "x",
          on.loadBefore(), on.loadAfter(),
          off == null ? "-" : fmt(off.loadBefore(), 1) + "-" + fmt(off.loadAfter(), 1)));
    }
    CellResult on16 = find(cells, "on", "text", 16);
    CellResult off16 = find(cells, "off", "text", 16);
    CellResult on1 = find(cells, "on", "text", 1);
    if (on16 != null && off16 != null && on1 != null) {
      double gain = on16.throughputPerSecond() / off16.throughputPerSecond();
      double tail = on16.p99Millis() / on1.p50Millis();
      s.append(String.format(Locale.ROOT, "%nTargets (issue 4), text at 16 clients: throughput on/off = %.2fx (target >= 2x: %s); "
          + "p99 / single-client p50 = %.2fx (target <= 3x: %s).%n", gain, gain >= 2 ? "met" : "MISSED", tail,
          tail <= 3 ? "met" : "MISSED"));
    }
    cells.stream().filter(c -> c.errors() > 0).forEach(c -> s.append(String.format(Locale.ROOT,
        "%nErrors in %s/%s/N=%d: %d, first: %s%n", c.mode(), c.tower(), c.clients(), c.errors(), c.firstError())));
    serverMetrics.forEach((mode, lines) -> {
      s.append(String.format("%nServer metrics at shutdown, batching %s (cumulative over all its cells):%n%n", mode));
      lines.forEach(l -> s.append("    ").append(l.replaceAll("^.*batching ", "")).append('\n'));
    });
    return s.toString();
  }

  private static CellResult find(List<CellResult> cells, String mode, String tower, int clients) {
    return cells.stream().filter(c -> c.mode().equals(mode) && c.tower().equals(tower) && c.clients() == clients)
        .findFirst().orElse(null);
  }

  private static String fmt(double v, int decimals) {
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }
}
