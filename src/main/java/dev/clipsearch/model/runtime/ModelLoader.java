package dev.clipsearch.model.runtime;

import dev.clipsearch.model.ModelException;
import dev.clipsearch.model.ModelSpec;
import dev.clipsearch.model.Vectors;
import dev.clipsearch.model.text.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.JitModule;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Loading and warm-up of {@link ClipModel}, and the small tensor helpers it shares. Stateless. */
final class ModelLoader {
  private static final Logger log = LoggerFactory.getLogger(ModelLoader.class);

  private ModelLoader() {}

  static ClipModel load(Path file, ModelSpec spec, ComputeDevice device, StagingOptions staging) {
    if (!Files.isRegularFile(file)) {
      throw new ModelException("model file not found: " + file);
    }
    long start = System.nanoTime();
    JitModule module = read(file, device);
    ComputeDevice effective = device;
    boolean autocast = false;
    if (!device.isCuda()) {
      try {
        CpuPrecision.Applied applied = CpuPrecision.apply(module, spec, device, () -> read(file, device));
        module = applied.module();
        effective = applied.device();
        autocast = applied.autocast();
      } catch (RuntimeException e) {
        module.close();
        throw e instanceof ModelException ? e
            : new ModelException("cannot run " + file + " in " + device.precision().label() + ": " + firstLine(e), e);
      }
    }
    ClipModel model;
    try {
      model = new ClipModel(spec, effective, module, staging, autocast);
    } catch (RuntimeException e) {
      module.close();
      throw new ModelException(
          "model " + file + " lacks encode_image/encode_text (export it with models/export_clip.py): " + firstLine(e), e);
    }
    warmUp(model, spec);
    log.info("model {} ({}) loaded and warmed up on {} in {} ms; staging {}", file.getFileName(), spec.name(), effective,
        (System.nanoTime() - start) / 1_000_000, staging);
    return model;
  }

  private static JitModule read(Path file, ComputeDevice device) {
    try {
      Device target = device.isCuda() ? new Device(torch.kCUDA(), (byte) device.index()) : new Device(torch.kCPU());
      JitModule module = torch.load(file.toAbsolutePath().toString(), new DeviceOptional(target), true);
      module.eval();
      if (device.isCuda() && device.precision() != ComputeDevice.Precision.FP32) {
        module.to(scalarType(device.precision()));
      }
      return module;
    } catch (RuntimeException e) {
      throw new ModelException("cannot load TorchScript model " + file + ": " + firstLine(e), e);
    }
  }

  /** The dtype the model's floating-point weights and image input have (int8 keeps fp32 activations). */
  static torch.ScalarType scalarType(ComputeDevice.Precision precision) {
    return switch (precision) {
      case FP16 -> torch.ScalarType.Half;
      case BF16 -> torch.ScalarType.BFloat16;
      case FP32, INT8 -> torch.ScalarType.Float;
      case AUTO -> throw new IllegalArgumentException("auto is resolved before a model loads");
    };
  }

  /** Two calls per shape through the staged path (the first calls run LibTorch's profiling pass). */
  private static void warmUp(ClipModel model, ModelSpec spec) {
    int s = spec.imageSize();
    int[] ids = {Tokenizer.SOT, Tokenizer.EOT};
    for (int i = 0; i < 2; i++) {
      for (int slot = 0; slot < model.staging().slots(); slot++) {
        model.stageImage(slot, 0, new float[3 * s * s]);
        model.encodeStagedImages(slot, 1);
        model.stageText(slot, 0, ids);
        model.encodeStagedTexts(slot, 1, spec.contextLength());
        for (int len : spec.textLengths()) {
          model.encodeStagedTexts(slot, 1, len);
        }
      }
    }
  }

  /** A host tensor for one call (pinned on CUDA so the copy can be asynchronous); call inside a PointerScope. */
  static Tensor hostTensor(long[] shape, torch.ScalarType type, boolean pinned) {
    TensorOptions options = new TensorOptions(type);
    if (pinned) {
      options = options.pinned_memory(new BoolOptional(true));
    }
    return torch.empty(shape, options, new MemoryFormatOptional());
  }

  /** @param renormalise normalise in fp32 even if the model did (its own normalisation ran in reduced precision) */
  static float[][] toRows(Tensor out, int n, ModelSpec spec, boolean renormalise) {
    Tensor flat = out.to(torch.ScalarType.Float).contiguous();
    int dim = spec.embedDim();
    if (flat.numel() != (long) n * dim) {
      throw new ModelException("model returned " + flat.numel() + " values for " + n + " inputs; spec says embed_dim " + dim);
    }
    float[] all = new float[n * dim];
    flat.data_ptr_float().get(all);
    float[][] rows = new float[n][];
    for (int i = 0; i < n; i++) {
      rows[i] = Arrays.copyOfRange(all, i * dim, (i + 1) * dim);
      if (renormalise || !spec.normalizedOutputs()) {
        Vectors.normalize(rows[i]);
      }
    }
    return rows;
  }

  /** The interpreter's own error line ("RuntimeError: ...") of a TorchScript failure, else the first line. */
  static String scriptError(Throwable e) {
    String[] lines = String.valueOf(e.getMessage()).split("\n");
    for (int i = lines.length - 1; i >= 0; i--) {
      if (lines[i].matches("^\\w*Error: .*")) {
        return lines[i];
      }
    }
    return firstLine(e);
  }

  static String firstLine(Throwable e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
