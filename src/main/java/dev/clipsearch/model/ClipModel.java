package dev.clipsearch.model;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.IValueVector;
import org.bytedeco.pytorch.InferenceMode;
import org.bytedeco.pytorch.JitModule;
import org.bytedeco.pytorch.Method;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TorchScript CLIP with {@code encode_image} and {@code encode_text}, run through JavaCPP's LibTorch.
 *
 * <p>Memory: this object owns the module and two host staging buffers (pinned when on CUDA); {@link #close()}
 * frees them. Every call runs inside a {@link PointerScope}, so the tensors a call makes are freed when it returns
 * (without that, RSS grows ~380 KB per call because the GC never sees LibTorch's allocations).
 *
 * <p>Threading: one image call and one text call may run at once (each tower has its own staging buffer and lock);
 * the batchers are the intended callers, one thread per tower.
 */
public final class ClipModel implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClipModel.class);

  private final ModelSpec spec;
  private final ComputeDevice device;
  private final JitModule module;
  private final Method encodeImage;
  private final Method encodeText;
  private final int maxBatch;
  private final HostBuffer imageStage;
  private final HostBuffer textStage;
  private final Device torchDevice;
  private boolean closed;

  private ClipModel(ModelSpec spec, ComputeDevice device, JitModule module, int maxBatch) {
    this.spec = spec;
    this.device = device;
    this.module = module;
    this.maxBatch = maxBatch;
    this.encodeImage = module.get_method("encode_image");
    this.encodeText = module.get_method("encode_text");
    this.torchDevice = device.isCuda() ? new Device(torch.kCUDA(), (byte) device.index()) : new Device(torch.kCPU());
    long pixels = 3L * spec.imageSize() * spec.imageSize();
    this.imageStage = HostBuffer.floats(maxBatch * pixels, device.isCuda());
    this.textStage = HostBuffer.longs((long) maxBatch * spec.contextLength(), device.isCuda());
  }

  /** Loads the TorchScript file onto the device and warms it up (the first calls run LibTorch's profiling pass). */
  public static ClipModel load(Path file, ModelSpec spec, ComputeDevice device, int maxBatch) {
    if (!Files.isRegularFile(file)) {
      throw new ModelException("model file not found: " + file);
    }
    if (maxBatch < 1 || maxBatch > 4096) {
      throw new IllegalArgumentException("max batch must be in 1..4096, got " + maxBatch);
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
      model = new ClipModel(spec, device, module, maxBatch);
    } catch (RuntimeException e) {
      module.close();
      throw new ModelException(
          "model " + file + " lacks encode_image/encode_text (export it with models/export_clip.py): " + firstLine(e), e);
    }
    model.warmUp();
    log.info("model {} ({}) loaded and warmed up on {} in {} ms", file.getFileName(), spec.name(), device,
        (System.nanoTime() - start) / 1_000_000);
    return model;
  }

  public ModelSpec spec() {
    return spec;
  }

  public ComputeDevice device() {
    return device;
  }

  public int maxBatch() {
    return maxBatch;
  }

  /** @param pixels n preprocessed images, CHW float32, back to back; returns n unit vectors */
  public float[][] encodeImages(float[] pixels, int n) {
    int chw = 3 * spec.imageSize() * spec.imageSize();
    if (n < 1 || n > maxBatch || pixels.length < n * chw) {
      throw new IllegalArgumentException("bad image batch: n=" + n + ", floats=" + pixels.length);
    }
    synchronized (imageStage) {
      ensureOpen();
      try (PointerScope scope = new PointerScope(); InferenceMode guard = new InferenceMode()) {
        FloatPointer stage = imageStage.tensor().data_ptr_float();
        stage.put(pixels, 0, n * chw);
        Tensor in = imageStage.tensor().narrow(0, 0, (long) n * chw).view(n, 3, spec.imageSize(), spec.imageSize());
        return toRows(run(encodeImage, in), n);
      } catch (RuntimeException e) {
        throw new ModelException("encode_image failed: " + firstLine(e), e);
      }
    }
  }

  /** @param ids n rows of {@code length} token ids (zero padded), back to back; returns n unit vectors */
  public float[][] encodeTexts(long[] ids, int n, int length) {
    if (n < 1 || n > maxBatch || length < 2 || length > spec.contextLength() || ids.length < n * length) {
      throw new IllegalArgumentException("bad text batch: n=" + n + ", length=" + length + ", ids=" + ids.length);
    }
    synchronized (textStage) {
      ensureOpen();
      try (PointerScope scope = new PointerScope(); InferenceMode guard = new InferenceMode()) {
        LongPointer stage = textStage.tensor().data_ptr_long();
        stage.put(ids, 0, n * length);
        Tensor in = textStage.tensor().narrow(0, 0, (long) n * length).view(n, length);
        return toRows(run(encodeText, in), n);
      } catch (RuntimeException e) {
        throw new ModelException("encode_text failed: " + firstLine(e), e);
      }
    }
  }

  private Tensor run(Method method, Tensor hostInput) {
    if (device.isCuda()) {
      return CudaPath.infer(method, hostInput, torchDevice, device.precision());
    }
    return method.apply(new IValueVector(new IValue(hostInput))).toTensor();
  }

  private float[][] toRows(Tensor out, int n) {
    Tensor flat = out.to(torch.ScalarType.Float).contiguous();
    int dim = spec.embedDim();
    if (flat.numel() != (long) n * dim) {
      throw new ModelException("model returned " + flat.numel() + " values for " + n + " inputs; spec says embed_dim " + dim);
    }
    float[] all = new float[n * dim];
    flat.data_ptr_float().get(all);
    float[][] rows = new float[n][];
    for (int i = 0; i < n; i++) {
      rows[i] = java.util.Arrays.copyOfRange(all, i * dim, (i + 1) * dim);
      if (!spec.normalizedOutputs()) {
        Vectors.normalize(rows[i]);
      }
    }
    return rows;
  }

  private void warmUp() {
    int s = spec.imageSize();
    for (int i = 0; i < 2; i++) {
      encodeImages(new float[3 * s * s], 1);
      long[] ids = Tokenizer.pad(new int[] {Tokenizer.SOT, Tokenizer.EOT}, spec.contextLength());
      encodeTexts(ids, 1, spec.contextLength());
      for (int len : spec.textLengths()) {
        encodeTexts(Tokenizer.pad(new int[] {Tokenizer.SOT, Tokenizer.EOT}, len), 1, len);
      }
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new ModelException("model is closed");
    }
  }

  /** Frees the staging buffers, then the module (reverse order of creation). Waits for running calls. */
  @Override
  public void close() {
    synchronized (imageStage) {
      synchronized (textStage) {
        if (closed) {
          return;
        }
        closed = true;
        textStage.close();
        imageStage.close();
        encodeText.close();
        encodeImage.close();
        module.close();
      }
    }
  }

  static String firstLine(Throwable e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
