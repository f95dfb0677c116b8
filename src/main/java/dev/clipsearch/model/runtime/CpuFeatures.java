package dev.clipsearch.model.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What this CPU can compute natively, read once from {@code /proc/cpuinfo}: model name, cores and the flags that decide
 * which precisions run on hardware rather than in emulation. Logged at start, shown in {@code /metrics} and written
 * into every benchmark file.
 *
 * <p>Why these flags: oneDNN (inside libtorch_cpu) runs bf16 matmuls on AMX tiles ({@code amx_bf16}) or AVX-512 BF16
 * dot products ({@code avx512_bf16}); without either it converts to fp32 and back, slower than fp32 itself. FBGEMM's
 * int8 kernels need AVX2 and use VNNI ({@code avx512_vnni}) when present.
 */
public record CpuFeatures(String model, int cores, Set<String> flags) {
  /** The flags reported everywhere, in this order. */
  public static final List<String> REPORTED = List.of("avx2", "avx512f", "avx512_bf16", "avx512_vnni", "amx_bf16", "amx_int8");

  public CpuFeatures {
    flags = Set.copyOf(flags);
  }

  /** This machine; an unreadable {@code /proc/cpuinfo} (not Linux) gives an unknown CPU with no flags: fp32 only. */
  public static CpuFeatures detect() {
    int cores = Runtime.getRuntime().availableProcessors();
    try {
      return parse(Files.readString(Path.of("/proc/cpuinfo")), cores);
    } catch (IOException | RuntimeException e) {
      return new CpuFeatures("unknown (" + System.getProperty("os.arch") + ")", cores, Set.of());
    }
  }

  /** @param cpuinfo the text of {@code /proc/cpuinfo}; only its first processor block is read (all are alike) */
  public static CpuFeatures parse(String cpuinfo, int cores) {
    String model = "unknown";
    Set<String> flags = Set.of();
    for (String line : cpuinfo.split("\n")) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        if (line.isBlank() && !flags.isEmpty()) {
          break;
        }
        continue;
      }
      String key = line.substring(0, colon).trim();
      String value = line.substring(colon + 1).trim();
      if (key.equals("model name") && model.equals("unknown")) {
        model = value;
      } else if (key.equals("flags") && flags.isEmpty()) {
        flags = Set.of(value.split("\\s+"));
      }
    }
    return new CpuFeatures(model, cores, flags);
  }

  public boolean has(String flag) {
    return flags.contains(flag);
  }

  /** bf16 matmuls in hardware: AMX tiles or AVX-512 BF16. */
  public boolean bf16Native() {
    return has("amx_bf16") || has("avx512_bf16");
  }

  /** FBGEMM's int8 GEMMs (dynamic quantisation) need AVX2 at least. */
  public boolean int8Native() {
    return has("avx2");
  }

  /** The reported flags, each present or not, in {@link #REPORTED} order. */
  public Map<String, Boolean> reportedFlags() {
    Map<String, Boolean> out = new LinkedHashMap<>();
    for (String f : REPORTED) {
      out.put(f, has(f));
    }
    return out;
  }

  @Override
  public String toString() {
    StringBuilder present = new StringBuilder();
    reportedFlags().forEach((f, on) -> {
      if (on) {
        present.append(present.isEmpty() ? "" : " ").append(f);
      }
    });
    return model + ", " + cores + " cores, flags [" + present + "]";
  }
}
