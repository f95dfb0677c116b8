package dev.clipsearch.model.runtime;

import dev.clipsearch.model.ModelException;
import org.bytedeco.pytorch.global.torch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Picks the device once at start-up from {@code --device auto|cpu|cuda[:N]} and logs why. */
public final class DeviceSelector {
  private static final Logger log = LoggerFactory.getLogger(DeviceSelector.class);

  private DeviceSelector() {}

  /** Loads LibTorch with these thread counts (first call in the process wins), then picks the device. */
  public static ComputeDevice select(DeviceRequest requested, ComputeDevice.Precision precision, int blasThreads,
      int torchThreads) {
    TorchRuntime.init(blasThreads, torchThreads);
    boolean cudaAvailable = torch.cuda_is_available();
    int cudaCount = cudaAvailable ? torch.cuda_device_count() : 0;
    ComputeDevice chosen;
    if (requested.choice() == DeviceRequest.Choice.CPU
        || (requested.choice() == DeviceRequest.Choice.AUTO && !cudaAvailable)) {
      if (precision != ComputeDevice.Precision.FP32) {
        log.warn("precision {} is only used on CUDA; running fp32 on CPU", precision);
      }
      chosen = ComputeDevice.cpu();
    } else {
      if (!cudaAvailable || requested.index() >= cudaCount) {
        throw new ModelException(
            "--device " + requested + " asked for CUDA, but LibTorch sees " + cudaCount + " CUDA device(s)"
                + " (build with -Pgpu and install CUDA 13.1 + cuDNN 9, or use --device cpu)");
      }
      chosen = new ComputeDevice(ComputeDevice.Kind.CUDA, requested.index(), precision);
    }
    log.info("device {} (requested {}, CUDA devices visible: {})", chosen, requested, cudaCount);
    return chosen;
  }
}
