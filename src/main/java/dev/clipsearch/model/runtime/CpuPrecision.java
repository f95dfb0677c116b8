package dev.clipsearch.model.runtime;

import dev.clipsearch.model.ModelSpec;
import dev.clipsearch.model.runtime.ComputeDevice.Precision;
import java.util.Locale;
import java.util.function.Supplier;
import org.bytedeco.pytorch.JitModule;
import org.bytedeco.pytorch.global.torch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a freshly loaded fp32 module into the CPU precision the device asks for.
 * <ul>
 *   <li>bf16: weights and activations in bf16 ({@code module.to(bf16)}), matmuls in oneDNN on AMX / AVX-512 BF16;
 *   LayerNorm and softmax accumulate in fp32 inside their bf16 kernels, and the output vectors are normalised again
 *   in fp32. About a third less CPU time than autocast on ViT-B/32 (bench-results/precision.md). A model whose own
 *   code makes fp32 tensors (a float mask, say) cannot run on bf16 weights: it gets LibTorch's autocast instead
 *   ({@link CpuAutocast}). Either is checked against fp32 on {@link PrecisionProbe}'s inputs first; under
 *   {@code --precision auto} a cosine below {@link CpuPrecisionPolicy#MIN_COSINE} falls back to fp32.</li>
 *   <li>int8: {@link LinearInt8} (dynamic quantisation of the Linear layers).</li>
 * </ul>
 */
final class CpuPrecision {
  private static final Logger log = LoggerFactory.getLogger(CpuPrecision.class);

  /** @param autocast run every call under {@link CpuAutocast} (the model keeps fp32 weights and input) */
  record Applied(JitModule module, ComputeDevice device, boolean autocast) {}

  private CpuPrecision() {}

  /** @param reload loads the file again in fp32 (the auto fallback; bf16 weights cannot be turned back exactly) */
  static Applied apply(JitModule module, ModelSpec spec, ComputeDevice device, Supplier<JitModule> reload) {
    if (device.precision() == Precision.INT8) {
      int layers = LinearInt8.quantize(module);
      if (layers == 0) {
        log.warn("--precision int8: the model has no nn.Linear layers to quantise; it runs in fp32");
      }
      return new Applied(module, device.withPrecision(Precision.INT8, device.precisionReason() + "; " + layers
          + " Linear layers in int8"), false);
    }
    if (device.precision() != Precision.BF16) {
      return new Applied(module, device, false);
    }
    float[][] reference = PrecisionProbe.encode(module, spec, torch.ScalarType.Float, false);
    boolean autocast = false;
    float[][] reduced;
    try {
      module.to(torch.ScalarType.BFloat16);
      reduced = PrecisionProbe.encode(module, spec, torch.ScalarType.BFloat16, false);
    } catch (RuntimeException e) {
      log.info("bf16 weights do not run this model ({}); using autocast", ModelLoader.scriptError(e));
      module.close();
      module = reload.get();
      autocast = true;
      reduced = PrecisionProbe.encode(module, spec, torch.ScalarType.Float, true);
    }
    double cosine = PrecisionProbe.minCosine(reference, reduced);
    String probe = String.format(Locale.ROOT, "bf16 %s, probe min cosine to fp32 %.6f",
        autocast ? "autocast" : "weights", cosine);
    if (cosine >= CpuPrecisionPolicy.MIN_COSINE) {
      log.info("{} (>= {})", probe, CpuPrecisionPolicy.MIN_COSINE);
      return new Applied(module, device.withPrecision(Precision.BF16, device.precisionReason() + "; " + probe), autocast);
    }
    if (!device.precisionAuto()) {
      log.warn("{} is below {}; running bf16 because it was asked for", probe, CpuPrecisionPolicy.MIN_COSINE);
      return new Applied(module, device.withPrecision(Precision.BF16, device.precisionReason() + "; " + probe), autocast);
    }
    log.warn("{} is below {}: falling back to fp32", probe, CpuPrecisionPolicy.MIN_COSINE);
    module.close();
    TorchRuntime.usePrecision(Precision.FP32);
    return new Applied(reload.get(), device.withPrecision(Precision.FP32, device.precisionReason() + "; " + probe
        + " < " + CpuPrecisionPolicy.MIN_COSINE + ", fell back to fp32"), false);
  }
}
