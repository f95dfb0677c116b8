package dev.clipsearch.model;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.IValueVector;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Method;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The CUDA side of inference, kept in its own class so that CPU hosts never initialise it: on CPU natives the
 * CUDA presets' classes fail with UnsatisfiedLinkError and then NoClassDefFoundError for good.
 * Only reached when {@link ComputeDevice#isCuda()}.
 */
final class CudaPath {
  private CudaPath() {}

  static torch.ScalarType scalarType(ComputeDevice.Precision precision) {
    return switch (precision) {
      case FP16 -> torch.ScalarType.Half;
      case BF16 -> torch.ScalarType.BFloat16;
      case FP32 -> torch.ScalarType.Float;
    };
  }

  /**
   * Copies the pinned host batch to the device without blocking, runs the method, and brings the result back.
   * Token ids stay int64; images take the model's precision.
   */
  static Tensor infer(Method method, Tensor hostInput, Device device, ComputeDevice.Precision precision) {
    torch.ScalarType type =
        hostInput.scalar_type() == torch.ScalarType.Long ? torch.ScalarType.Long : scalarType(precision);
    Tensor onDevice = hostInput.to(device, type, /* non_blocking */ true, false, new MemoryFormatOptional());
    Tensor out = method.apply(new IValueVector(new IValue(onDevice))).toTensor();
    return out.to(torch.ScalarType.Float).cpu(); // synchronises with the stream: the result is ready on return
  }
}
