package dev.clipsearch.model.runtime;

import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/**
 * A flat host tensor reused for every batch: inputs are copied in once, and a view of its first n rows goes to the
 * model. Pinned (page-locked) on CUDA hosts so host-to-device copies can run asynchronously; plain memory on CPU,
 * where pinning throws. Created outside any PointerScope, freed only by {@link #close()}.
 */
final class HostBuffer implements AutoCloseable {
  private final Tensor tensor;
  private final torch.ScalarType type;

  HostBuffer(long elements, torch.ScalarType type, boolean pinned) {
    TensorOptions options = new TensorOptions(type);
    if (pinned) {
      options = options.pinned_memory(new BoolOptional(true));
    }
    this.type = type;
    this.tensor = torch.empty(new long[] {elements}, options, new MemoryFormatOptional());
  }

  static HostBuffer floats(long elements, boolean pinned) {
    return new HostBuffer(elements, torch.ScalarType.Float, pinned);
  }

  static HostBuffer longs(long elements, boolean pinned) {
    return new HostBuffer(elements, torch.ScalarType.Long, pinned);
  }

  Tensor tensor() {
    return tensor;
  }

  torch.ScalarType type() {
    return type;
  }

  @Override
  public void close() {
    tensor.close();
  }
}
