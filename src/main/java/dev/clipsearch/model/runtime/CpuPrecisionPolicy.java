package dev.clipsearch.model.runtime;

import dev.clipsearch.model.ModelException;
import dev.clipsearch.model.runtime.ComputeDevice.Precision;

/**
 * Turns {@code --precision auto|fp32|bf16|int8} into the precision the CPU runs, with the reason. Pure: the CPU's flags
 * in, a choice out. A precision the CPU cannot run natively is refused with a clear error, never emulated: LibTorch
 * would run bf16 without AMX/AVX-512 BF16 by converting to fp32 and back, slower than fp32 and less exact.
 *
 * <p>{@code auto} picks bf16 only where it was measured to pay off: AMX tiles (ViT-B/32 image tower 2.6-3.4x fp32 on
 * a 2-core Xeon, bench-results/precision.md). AVX-512 BF16 without AMX has not been measured faster here, and int8
 * (FBGEMM, only the Linear layers) is slower than AMX bf16, so auto leaves both to an explicit request.
 */
public final class CpuPrecisionPolicy {
  /** Minimum cosine between a reduced-precision vector and the fp32 one (the CI quality gate uses the same bound). */
  public static final double MIN_COSINE = 0.999;

  private CpuPrecisionPolicy() {}

  /** @return the device in the chosen precision; @throws ModelException for a precision this CPU cannot run */
  public static ComputeDevice choose(Precision requested, CpuFeatures cpu) {
    return switch (requested) {
      case AUTO -> cpu.has("amx_bf16")
          ? auto(Precision.BF16, "auto: amx_bf16 present, bf16 matmuls run on AMX tiles")
          : cpu.has("avx512_bf16")
              ? auto(Precision.FP32, "auto: avx512_bf16 without AMX, bf16 not measured faster than fp32 here "
                  + "(--precision bf16 to use it)")
              : auto(Precision.FP32, "auto: no amx_bf16/avx512_bf16, bf16 would be emulated");
      case FP32 -> explicit(Precision.FP32, "requested");
      case BF16 -> {
        if (!cpu.bf16Native()) {
          throw new ModelException("--precision bf16 needs a CPU with amx_bf16 or avx512_bf16; this one (" + cpu
              + ") would emulate it, slower than fp32. Use --precision fp32, int8 or auto");
        }
        yield explicit(Precision.BF16, "requested (" + (cpu.has("amx_bf16") ? "amx_bf16" : "avx512_bf16") + ")");
      }
      case INT8 -> {
        if (!cpu.int8Native()) {
          throw new ModelException("--precision int8 needs a CPU with avx2 (FBGEMM); this one (" + cpu
              + ") has none. Use --precision fp32 or auto");
        }
        yield explicit(Precision.INT8, "requested (FBGEMM" + (cpu.has("avx512_vnni") ? ", avx512_vnni" : "") + ")");
      }
      case FP16 -> throw new ModelException("--precision fp16 runs on CUDA only; on CPU use fp32, bf16, int8 or auto");
    };
  }

  private static ComputeDevice auto(Precision p, String reason) {
    return new ComputeDevice(ComputeDevice.Kind.CPU, 0, p, reason, true);
  }

  private static ComputeDevice explicit(Precision p, String reason) {
    return new ComputeDevice(ComputeDevice.Kind.CPU, 0, p, reason, false);
  }
}
