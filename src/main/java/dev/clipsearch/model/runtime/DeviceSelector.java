package dev.clipsearch.model.runtime;

import dev.clipsearch.model.ModelException;
import java.util.Locale;
import org.bytedeco.pytorch.global.torch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the device and precision once at start-up from {@code --device auto|cpu|cuda[:N]} and
 * {@code --precision fp32|fp16|bf16|int8|auto}, sizes the thread pools for that precision, and logs why.
 */
public final class DeviceSelector {
  private static final Logger log = LoggerFactory.getLogger(DeviceSelector.class);
  private static CpuFeatures cpu;

  private DeviceSelector() {}

  public static ComputeDevice select(String requested, ComputeDevice.Precision precision, int blasThreads) {
    return select(requested, precision.label(), blasThreads, 1);
  }

  public static ComputeDevice select(String requested, ComputeDevice.Precision precision, int blasThreads,
      int torchThreads) {
    return select(requested, precision.label(), blasThreads, torchThreads);
  }

  /**
   * Loads LibTorch, picks the device and precision, then sets both thread pools ({@link ThreadPlan}).
   *
   * @param blasThreads OpenBLAS threads, 0 = the precision's default
   * @param torchThreads LibTorch intra-op threads, 0 = the precision's default
   */
  public static ComputeDevice select(String requested, String precision, int blasThreads, int torchThreads) {
    CpuFeatures features = cpu();
    TorchRuntime.init(torchThreads, blasThreads);
    String want = requested == null ? "auto" : requested.trim().toLowerCase(Locale.ROOT);
    boolean cudaAvailable = torch.cuda_is_available();
    int cudaCount = cudaAvailable ? torch.cuda_device_count() : 0;
    ComputeDevice chosen;
    if (want.equals("cpu") || (want.equals("auto") && !cudaAvailable)) {
      chosen = CpuPrecisionPolicy.choose(precision, features);
    } else if (want.equals("auto") || want.startsWith("cuda")) {
      int index = want.startsWith("cuda:") ? Integer.parseInt(want.substring(5)) : 0;
      if (!cudaAvailable || index >= cudaCount) {
        throw new ModelException(
            "--device " + requested + " asked for CUDA, but LibTorch sees " + cudaCount + " CUDA device(s)"
                + " (build with -Pgpu and install CUDA 13.1 + cuDNN 9, or use --device cpu)");
      }
      chosen = new ComputeDevice(ComputeDevice.Kind.CUDA, index, cudaPrecision(precision));
      TorchRuntime.usePrecision(ComputeDevice.Precision.FP32); // the host side only feeds the GPU
    } else {
      throw new IllegalArgumentException("--device must be auto, cpu or cuda[:N], got " + requested);
    }
    if (!chosen.isCuda()) {
      TorchRuntime.usePrecision(chosen.precision());
    }
    log.info("device {} (requested {}, CUDA devices visible: {}); precision {}: {}", chosen, want, cudaCount,
        chosen.precision().label(), chosen.precisionReason());
    return chosen;
  }

  /** The CPU this process runs on, detected and logged once. */
  public static synchronized CpuFeatures cpu() {
    if (cpu == null) {
      cpu = CpuFeatures.detect();
      log.info("CPU: {}", cpu);
    }
    return cpu;
  }

  private static ComputeDevice.Precision cudaPrecision(String precision) {
    String p = precision == null ? "auto" : precision.trim().toLowerCase(Locale.ROOT);
    if (p.equals("auto")) {
      return ComputeDevice.Precision.FP32;
    }
    if (p.equals("int8")) {
      throw new ModelException("--precision int8 runs on CPU only (FBGEMM); on CUDA use fp32, fp16 or bf16");
    }
    return ComputeDevice.Precision.parse(p);
  }
}
