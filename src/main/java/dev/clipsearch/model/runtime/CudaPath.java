package dev.clipsearch.model.runtime;

import java.util.function.UnaryOperator;
import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.IValueVector;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Method;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.cuda.CUDAStream;
import org.bytedeco.pytorch.cuda.CUDAStreamGuard;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch_cuda;

/**
 * The CUDA side of inference, kept in its own class so that CPU hosts never initialise it: on CPU natives the CUDA
 * presets' classes fail with UnsatisfiedLinkError and then NoClassDefFoundError for good. Only reached when
 * {@link ComputeDevice#isCuda()} (compile-checked here; not yet run on a GPU).
 *
 * <p>Threading: each calling thread (one compute thread per tower) gets its own stream from LibTorch's pool, so the
 * image and text towers do not serialise on the default stream; the guard makes it current for the call only.
 */
final class CudaPath {
  private static final ThreadLocal<CUDAStream> STREAM = new ThreadLocal<>();

  private CudaPath() {}

  /**
   * Copies the pinned host batch to the device without blocking (on this thread's stream), turns it into the model
   * input there ({@code onDevice}: normalisation, precision), runs the method, copies the result into pinned host
   * memory without blocking and waits for this stream only. Call inside a PointerScope.
   */
  static Tensor infer(Method method, Tensor hostInput, Device device, UnaryOperator<Tensor> onDevice) {
    CUDAStream stream = stream(device);
    try (CUDAStreamGuard guard = new CUDAStreamGuard(stream.unwrap())) {
      Tensor deviceInput = hostInput.to(device, hostInput.scalar_type(), /* non_blocking */ true, false,
          new MemoryFormatOptional());
      Tensor out = method.apply(new IValueVector(new IValue(onDevice.apply(deviceInput)))).toTensor();
      Tensor outFloat = out.to(torch.ScalarType.Float);
      Tensor host = torch.empty(outFloat.sizes().vec().get(),
          new TensorOptions(torch.ScalarType.Float).pinned_memory(new BoolOptional(true)), new MemoryFormatOptional());
      host.copy_(outFloat, /* non_blocking */ true);
      stream.synchronize();
      return host;
    }
  }

  private static CUDAStream stream(Device device) {
    CUDAStream s = STREAM.get();
    if (s == null) {
      s = torch_cuda.getStreamFromPool(false, device.index());
      s.retainReference(); // lives as long as its thread; not owned by the caller's PointerScope
      STREAM.set(s);
    }
    return s;
  }
}
