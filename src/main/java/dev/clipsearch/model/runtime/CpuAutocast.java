package dev.clipsearch.model.runtime;

import org.bytedeco.pytorch.global.torch;

/**
 * LibTorch's CPU autocast to bf16 for the duration of one call: matmuls and convolutions in bf16, reductions and
 * normalisations in fp32, whatever dtypes the model's own code makes. The state is thread-local, so it is switched on
 * around each call on the thread that runs it, and restored after.
 */
final class CpuAutocast implements AutoCloseable {
  private final boolean wasEnabled;

  private CpuAutocast() {
    wasEnabled = torch.is_autocast_enabled(torch.DeviceType.CPU);
    torch.set_autocast_dtype(torch.DeviceType.CPU, torch.ScalarType.BFloat16);
    torch.set_autocast_enabled(torch.DeviceType.CPU, true);
  }

  /** @return a scope to close on this thread, or null (try-with-resources skips it) when autocast is off */
  static CpuAutocast bf16If(boolean on) {
    return on ? new CpuAutocast() : null;
  }

  @Override
  public void close() {
    torch.set_autocast_enabled(torch.DeviceType.CPU, wasEnabled);
  }
}
