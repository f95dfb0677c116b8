package dev.clipsearch.model.runtime;

import dev.clipsearch.model.ModelException;
import org.bytedeco.pytorch.global.torch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Picks the device once at start-up from {@code --device auto|cpu|cuda[:N]} and logs why. */
public final class DeviceSelector {
  private static final Logger log = LoggerFactory.getLogger(DeviceSelector.class);

  private DeviceSelector() {}

  public static ComputeDevice select(String requested, ComputeDevice.Precision precision, int blasThreads) {
    return select(requested, precision, blasThreads, 1);
  }

  /** Loads LibTorch with these thread counts (first call in the process wins), then picks the device. */
  public static ComputeDevice select(String requested, ComputeDevice.Precision precision, int blasThreads,
      int torchThreads) {
    TorchRuntime.init(blasThreads, torchThreads);
    String want = requested == null ? "auto" : requested.trim().toLowerCase(java.util.Locale.ROOT);
    boolean cudaAvailable = torch.cuda_is_available();
    int cudaCount = cudaAvailable ? torch.cuda_device_count() : 0;
    ComputeDevice chosen;
    if (want.equals("cpu") || (want.equals("auto") && !cudaAvailable)) {
      if (precision != ComputeDevice.Precision.FP32) {
        log.warn("precision {} is only used on CUDA; running fp32 on CPU", precision);
      }
      chosen = ComputeDevice.cpu();
    } else if (want.equals("auto") || want.startsWith("cuda")) {
      int index = want.startsWith("cuda:") ? Integer.parseInt(want.substring(5)) : 0;
      if (!cudaAvailable || index >= cudaCount) {
        throw new ModelException(
            "--device " + requested + " asked for CUDA, but LibTorch sees " + cudaCount + " CUDA device(s)"
                + " (build with -Pgpu and install CUDA 13.1 + cuDNN 9, or use --device cpu)");
      }
      chosen = new ComputeDevice(ComputeDevice.Kind.CUDA, index, precision);
    } else {
      throw new IllegalArgumentException("--device must be auto, cpu or cuda[:N], got " + requested);
    }
    log.info("device {} (requested {}, CUDA devices visible: {})", chosen, want, cudaCount);
    return chosen;
  }
}
