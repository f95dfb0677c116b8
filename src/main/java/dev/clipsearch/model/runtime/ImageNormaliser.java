package dev.clipsearch.model.runtime;

import dev.clipsearch.model.ModelSpec;
import java.util.function.UnaryOperator;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/**
 * Turns the image batch as it arrives on the device into the model's input: uint8 pixels are normalised there
 * ({@code v / 255 - mean) / std}, the same float32 steps as {@code JavaImagePreprocessor}), and the result is cast to
 * the model's input type (fp16/bf16 weights take input of their own type). Float32 input to an fp32 or int8 model, or
 * to one under autocast, passes through untouched.
 *
 * <p>Memory: owns the two [1,3,1,1] constants on the device (made outside any scope, freed by {@link #close()}).
 * Threading: {@link #apply} only reads the constants, so any number of threads may call it; call it inside a scope.
 */
final class ImageNormaliser implements UnaryOperator<Tensor>, AutoCloseable {
  private final Tensor mean;
  private final Tensor std;
  private final torch.ScalarType inputType;

  /** @param inputType the dtype the model's image tower takes (its weights' dtype; fp32 under autocast or int8) */
  ImageNormaliser(ModelSpec spec, Device torchDevice, torch.ScalarType inputType) {
    this.inputType = inputType;
    this.mean = constant(spec.mean(), torchDevice);
    this.std = constant(spec.std(), torchDevice);
  }

  private static Tensor constant(float[] values, Device torchDevice) {
    Tensor host = torch.empty(new long[] {1, 3, 1, 1}, new TensorOptions(torch.ScalarType.Float), new MemoryFormatOptional());
    host.data_ptr_float().put(values, 0, 3);
    if (torchDevice.is_cpu()) {
      return host;
    }
    Tensor onDevice = host.to(torchDevice, torch.ScalarType.Float);
    host.close();
    return onDevice;
  }

  @Override
  public Tensor apply(Tensor x) {
    Tensor in = x;
    if (x.scalar_type().value == torch.ScalarType.Byte.value) { // enums from native code are not the Java constants
      in = x.to(torch.ScalarType.Float).div_(new Scalar(255.0f)).sub_(mean).div_(std);
    }
    if (inputType != torch.ScalarType.Float) {
      in = in.to(inputType);
    }
    return in;
  }

  @Override
  public void close() {
    std.close();
    mean.close();
  }
}
