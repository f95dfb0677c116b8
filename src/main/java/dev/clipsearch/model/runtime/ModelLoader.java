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
    JitModule module;
    try {
      Device target = device.isCuda() ? new Device(torch.kCUDA(), (byte) device.index()) : new Device(torch.kCPU());
      module = torch.load(file.toAbsolutePath().toString(), new DeviceOptional(target), true);
      module.eval();
      if (device.isCuda() && device.precision() != ComputeDevice.Precision.FP32) {
        module.to(CudaPath.scalarType(device.precision()));
      }
    } catch (RuntimeException e) {
      throw new ModelException("cannot load TorchScript model " + file + ": " + firstLine(e), e);
    }
    ClipModel model;
    try {
      model = new ClipModel(spec, device, module, staging);
    } catch (RuntimeException e) {
      module.close();
      throw new ModelException(
          "model " + file + " lacks encode_image/encode_text (export it with models/export_clip.py): " + firstLine(e), e);
    }
    warmUp(model, spec);
    log.info("model {} ({}) loaded and warmed up on {} in {} ms; staging {}", file.getFileName(), spec.name(), device,
        (System.nanoTime() - start) / 1_000_000, staging);
    return model;
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

  static float[][] toRows(Tensor out, int n, ModelSpec spec) {
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
      if (!spec.normalizedOutputs()) {
        Vectors.normalize(rows[i]);
      }
    }
    return rows;
  }

  static String firstLine(Throwable e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
