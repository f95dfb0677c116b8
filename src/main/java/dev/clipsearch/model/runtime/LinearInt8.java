package dev.clipsearch.model.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.ClassType;
import org.bytedeco.pytorch.CompilationUnit;
import org.bytedeco.pytorch.Function;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.IValueVector;
import org.bytedeco.pytorch.JitModule;
import org.bytedeco.pytorch.NamedJitModule;
import org.bytedeco.pytorch.QualifiedName;
import org.bytedeco.pytorch.QualifiedNameOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.SimpleSelf;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TupleElements;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.named_module_iterator;
import org.bytedeco.pytorch.named_module_list;

/**
 * Dynamic int8 quantisation of a loaded TorchScript model's {@code nn.Linear} layers, at load time: what
 * {@code torch.ao.quantization.quantize_dynamic(model, {Linear}, qint8)} does in Python, for any exported file, without
 * a second export. Each Linear keeps its fp32 weight (other code may read it) and gains its int8 copy packed for
 * FBGEMM; the Linear class's {@code forward} is replaced by one that quantises the activations per call (per-tensor,
 * from their range) and multiplies in int8 with fp32 accumulation and output.
 *
 * <p>Why the {@code fbgemm_linear_*} ATen ops rather than {@code quantized::linear_dynamic}: TorchScript compiled from
 * Java resolves only {@code torch.*} (ATen) names, so the {@code quantized::} namespace and its packed-params class
 * are out of reach; the ATen ops do the same FBGEMM GEMM with a per-tensor weight scale (LibTorch warns once that they
 * are deprecated). Layers used without their {@code forward} (the attention projections of
 * {@code nn.MultiheadAttention}, read as raw weights) stay fp32, as in Python's dynamic quantisation.
 *
 * <p>Must run before the model's first call: the graph executor inlines {@code forward} into the calling methods
 * on first use. Not thread-safe; the loader calls it once.
 */
final class LinearInt8 {
  private static final Pattern LINEAR = Pattern.compile("__torch__\\.torch\\.nn\\.modules\\.linear\\.(___torch_mangle_\\d+\\.)?Linear");
  private static final String QUANTIZE = """
      def clipsrv_quantize(w: Tensor) -> Tuple[Tensor, Tensor, Tensor, float, int]:
          q, col_offsets, scale, zero_point = torch.fbgemm_linear_quantize_weight(w.contiguous())
          return q, torch.fbgemm_pack_quantized_matrix(q), col_offsets, scale, zero_point
      """;
  private static final String FORWARD = """
      def forward(self, input: Tensor) -> Tensor:
          return torch.fbgemm_linear_int8_weight_fp32_activation(input, self._int8_weight, self._int8_packed,
              self._int8_col_offsets, self._int8_scale.item(), int(self._int8_zero_point.item()), self._int8_bias)
      """;

  private LinearInt8() {}

  /** @return how many Linear layers now run in int8 */
  static int quantize(JitModule model) {
    Map<String, List<JitModule>> byClass = linearsByClass(model);
    int layers = 0;
    try (PointerScope scope = new PointerScope()) {
      CompilationUnit cu = torch.compile(QUANTIZE);
      Function quantize = cu.get_function(new QualifiedName("clipsrv_quantize"));
      for (Map.Entry<String, List<JitModule>> e : byClass.entrySet()) {
        if (!e.getValue().stream().allMatch(LinearInt8::quantizable)) {
          continue; // forward is shared by every instance of the class: all or none
        }
        for (JitModule linear : e.getValue()) {
          addInt8Weights(linear, quantize);
          layers++;
        }
        replaceForward(e.getValue().get(0).type(), e.getKey());
      }
    }
    return layers;
  }

  /** Linear submodules grouped by TorchScript class (instances with equal attribute types share one class). */
  private static Map<String, List<JitModule>> linearsByClass(JitModule model) {
    // collected first: adding attributes while walking invalidates the walk
    Map<String, List<JitModule>> out = new LinkedHashMap<>();
    named_module_list modules = model.named_modules();
    named_module_iterator it = modules.begin();
    for (long i = 0, n = modules.size(); i < n; i++, it = it.increment()) {
      NamedJitModule named = it.access();
      JitModule m = new JitModule(named.value());
      String type = m.type().name().get().qualifiedName().getString();
      if (LINEAR.matcher(type).matches()) {
        out.computeIfAbsent(type, k -> new ArrayList<>()).add(m);
      }
    }
    return out;
  }

  private static boolean quantizable(JitModule linear) {
    if (!linear.hasattr("weight") || !linear.attr("weight").isTensor()) {
      return false;
    }
    Tensor w = linear.attr("weight").toTensor();
    return w.dim() == 2 && w.scalar_type().value == torch.ScalarType.Float.value;
  }

  private static void addInt8Weights(JitModule linear, Function quantize) {
    Tensor weight = linear.attr("weight").toTensor();
    TupleElements q = quantize.apply(new IValueVector(new IValue(weight))).toTuple().elements();
    IValue bias = linear.attr("bias");
    Tensor b = bias.isTensor() ? bias.toTensor().contiguous() : torch.zeros(weight.size(0));
    linear.register_buffer("_int8_weight", q.get(0).toTensor());
    linear.register_buffer("_int8_packed", q.get(1).toTensor());
    linear.register_buffer("_int8_col_offsets", q.get(2).toTensor());
    linear.register_buffer("_int8_scale", torch.scalar_tensor(new Scalar(q.get(3).toDouble())));
    linear.register_buffer("_int8_zero_point", torch.scalar_tensor(new Scalar(q.get(4).toInt()),
        new TensorOptions(torch.ScalarType.Long)));
    linear.register_buffer("_int8_bias", b);
  }

  private static void replaceForward(ClassType type, String qualifiedName) {
    type.unsafeRemoveMethod("forward");
    type.compilation_unit().unsafeRemoveMethod(new QualifiedName(qualifiedName + ".forward"));
    type.compilation_unit().define(new QualifiedNameOptional(new QualifiedName(qualifiedName)), FORWARD,
        torch.nativeResolver(), new SimpleSelf(type));
  }
}
