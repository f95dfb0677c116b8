package dev.clipsearch.model.runtime;

import java.util.Locale;

/** Where the model runs and in which precision; chosen once at start ({@link DeviceSelector}). */
public record ComputeDevice(Kind kind, int index, Precision precision) {
  public enum Kind { CPU, CUDA }

  /** fp16/bf16 only on CUDA: on CPU they are slower than fp32 in LibTorch and change results. */
  public enum Precision {
    FP32, FP16, BF16
  }

  public static ComputeDevice cpu() {
    return new ComputeDevice(Kind.CPU, 0, Precision.FP32);
  }

  public boolean isCuda() {
    return kind == Kind.CUDA;
  }

  @Override
  public String toString() {
    return (isCuda() ? "cuda:" + index : "cpu") + "/" + precision.name().toLowerCase(Locale.ROOT);
  }
}
