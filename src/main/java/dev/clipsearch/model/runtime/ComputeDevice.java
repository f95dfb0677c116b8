package dev.clipsearch.model.runtime;

import java.util.Locale;

/**
 * Where the model runs and in which precision; chosen once at start ({@link DeviceSelector}).
 *
 * @param precisionReason why this precision (logged and shown in /metrics)
 * @param precisionAuto the precision came from {@code --precision auto}: the loader may fall back to fp32 when the
 *     reduced precision fails its quality probe on this model ({@link PrecisionProbe})
 */
public record ComputeDevice(Kind kind, int index, Precision precision, String precisionReason, boolean precisionAuto) {
  public enum Kind { CPU, CUDA }

  public ComputeDevice {
    if (precision == Precision.AUTO) {
      throw new IllegalArgumentException("a device runs a chosen precision, not auto");
    }
  }

  /**
   * What {@code --precision} asks for and what the device runs. AUTO is only a request: {@link DeviceSelector} turns it
   * into one of the others (on CPU bf16 where AMX runs it, else fp32; on CUDA fp32). fp16 on CUDA only; bf16 on CUDA,
   * or on CPUs with AMX/AVX-512 BF16; int8 (dynamic, Linear layers) on CPU only.
   */
  public enum Precision {
    AUTO, FP32, FP16, BF16, INT8;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public ComputeDevice(Kind kind, int index, Precision precision) {
    this(kind, index, precision, "requested", false);
  }

  public static ComputeDevice cpu() {
    return new ComputeDevice(Kind.CPU, 0, Precision.FP32);
  }

  /** The same device in another precision, for another reason (the auto fallback). */
  public ComputeDevice withPrecision(Precision p, String reason) {
    return new ComputeDevice(kind, index, p, reason, precisionAuto);
  }

  public boolean isCuda() {
    return kind == Kind.CUDA;
  }

  @Override
  public String toString() {
    return (isCuda() ? "cuda:" + index : "cpu") + "/" + precision.label();
  }
}
