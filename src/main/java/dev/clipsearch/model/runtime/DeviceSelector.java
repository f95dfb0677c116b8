package dev.clipsearch.model.runtime;

import dev.clipsearch.model.ModelException;
import dev.clipsearch.model.runtime.ComputeDevice.Precision;
import org.bytedeco.pytorch.global.torch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the device and precision once at start-up from {@code --device auto|cpu|cuda[:N]} and
 * {@code --precision auto|fp32|fp16|bf16|int8}, sizes the thread pools for that precision, and logs why.
 */
public final class DeviceSelector {
  private static final Logger log = LoggerFactory.getLogger(DeviceSelector.class);
  private static CpuFeatures cpu;

  private DeviceSelector() {}

  /**
   * Loads LibTorch, picks the device and precision, then sets both thread pools ({@link ThreadPlan}).
   *
   * @param blasThreads OpenBLAS threads, 0 = the precision's default
   * @param torchThreads LibTorch intra-op threads, 0 = the precision's default
   */
  public static ComputeDevice select(DeviceRequest requested, Precision precision, int blasThreads,
      int torchThreads) {
    CpuFeatures features = cpu();
    TorchRuntime.init(torchThreads, blasThreads);
    boolean cudaAvailable = torch.cuda_is_available();
    int cudaCount = cudaAvailable ? torch.cuda_device_count() : 0;
    ComputeDevice chosen;
    if (requested.choice() == DeviceRequest.Choice.CPU
        || (requested.choice() == DeviceRequest.Choice.AUTO && !cudaAvailable)) {
      chosen = CpuPrecisionPolicy.choose(precision, features);
      TorchRuntime.usePrecision(chosen.precision());
    } else {
      if (!cudaAvailable || requested.index() >= cudaCount) {
        throw new ModelException(
            "--device " + requested + " asked for CUDA, but LibTorch sees " + cudaCount + " CUDA device(s)"
                + " (build with -Pgpu and install CUDA 13.1 + cuDNN 9, or use --device cpu)");
      }
      chosen = new ComputeDevice(ComputeDevice.Kind.CUDA, requested.index(), cudaPrecision(precision));
      TorchRuntime.usePrecision(Precision.FP32); // the host side only feeds the GPU
    }
    log.info("device {} (requested {}, CUDA devices visible: {}); precision {}: {}", chosen, requested, cudaCount,
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

  private static Precision cudaPrecision(Precision precision) {
    return switch (precision) {
      case AUTO -> Precision.FP32;
      case INT8 -> throw new ModelException(
          "--precision int8 runs on CPU only (FBGEMM); on CUDA use fp32, fp16 or bf16");
      default -> precision;
    };
  }
}
