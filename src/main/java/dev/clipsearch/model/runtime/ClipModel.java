package dev.clipsearch.model.runtime;

import dev.clipsearch.model.ModelException;
import dev.clipsearch.model.ModelSpec;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.UnaryOperator;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.IValueVector;
import org.bytedeco.pytorch.InferenceMode;
import org.bytedeco.pytorch.JitModule;
import org.bytedeco.pytorch.Method;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * A TorchScript CLIP with {@code encode_image} and {@code encode_text}, run through JavaCPP's LibTorch.
 *
 * <p>Two ways in: the batchers stage inputs row by row into a slot ({@link #stageImage}, {@link #stageText}) and then
 * encode the slot; {@link #encodeImages}/{@link #encodeTexts} take whole arrays (tests, warm-up, one-off calls).
 *
 * <p>Memory: this object owns the module, the staging slots (pinned on CUDA) and the normalisation constants;
 * {@link #close()} frees them. Every encode runs inside a {@link PointerScope}, so the tensors it makes are freed when
 * it returns (without that RSS grows ~380 KB per call: the GC never sees LibTorch's allocations).
 *
 * <p>Threading: staging and encoding of one slot must not overlap (the batcher's slot discipline guarantees it);
 * different slots and towers may run at once. A read/write lock lets {@link #close()} wait for calls in progress.
 * On CUDA each encoding thread gets its own stream ({@link CudaPath}).
 */
public final class ClipModel implements AutoCloseable {
  private final ModelSpec spec;
  private final ComputeDevice device;
  private final JitModule module;
  private final Method encodeImage;
  private final Method encodeText;
  private final StagingOptions staging;
  private final StagingSlots imageSlots;
  private final StagingSlots textSlots;
  private final Device torchDevice;
  private final ImageNormaliser normaliser;
  private final boolean autocast;
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private boolean closed;

  /** @param autocast every call runs under bf16 autocast ({@link CpuAutocast}); weights and input stay fp32 */
  ClipModel(ModelSpec spec, ComputeDevice device, JitModule module, StagingOptions staging, boolean autocast) {
    this.spec = spec;
    this.autocast = autocast;
    this.device = device;
    this.module = module;
    this.staging = staging;
    this.encodeImage = module.get_method("encode_image");
    this.encodeText = module.get_method("encode_text");
    this.torchDevice = device.isCuda() ? new Device(torch.kCUDA(), (byte) device.index()) : new Device(torch.kCPU());
    boolean uint8 = staging.imageTransfer() == ImageTransfer.UINT8;
    this.normaliser = new ImageNormaliser(spec, torchDevice,
        autocast ? torch.ScalarType.Float : ModelLoader.scalarType(device.precision()));
    this.imageSlots = new StagingSlots(staging.slots(), staging.maxBatchImage(), 3L * spec.imageSize() * spec.imageSize(),
        uint8 ? torch.ScalarType.Byte : torch.ScalarType.Float, device.isCuda());
    this.textSlots = new StagingSlots(staging.slots(), staging.maxBatchText(), spec.contextLength(),
        torch.ScalarType.Long, device.isCuda());
  }

  /** Loads with two staging slots per tower of {@code maxBatch} rows, float32 image transfer. */
  public static ClipModel load(Path file, ModelSpec spec, ComputeDevice device, int maxBatch) {
    return ModelLoader.load(file, spec, device, StagingOptions.of(maxBatch));
  }

  /** Loads the TorchScript file onto the device, allocates the staging slots and warms both towers up. */
  public static ClipModel load(Path file, ModelSpec spec, ComputeDevice device, StagingOptions staging) {
    return ModelLoader.load(file, spec, device, staging);
  }

  public ModelSpec spec() {
    return spec;
  }

  public ComputeDevice device() {
    return device;
  }

  public StagingOptions staging() {
    return staging;
  }

  /** Copies one preprocessed image (CHW floats) into row {@code row} of image slot {@code slot}. */
  public void stageImage(int slot, int row, float[] chw) {
    guarded(() -> {
      if (staging.imageTransfer() == ImageTransfer.UINT8) {
        imageSlots.putBytes(slot, row, PixelBytes.fromNormalised(chw, spec.mean(), spec.std()));
      } else {
        imageSlots.putFloats(slot, row, chw);
      }
    });
  }

  /** Copies one query's token ids into row {@code row} of text slot {@code slot}, zero padded. */
  public void stageText(int slot, int row, int[] ids) {
    guarded(() -> textSlots.putIds(slot, row, ids));
  }

  public void moveImageRow(int slot, int from, int to) {
    guarded(() -> imageSlots.move(slot, from, to));
  }

  public void moveTextRow(int slot, int from, int to) {
    guarded(() -> textSlots.move(slot, from, to));
  }

  /** Encodes rows {@code [0, n)} of image slot {@code slot}; returns n unit vectors. */
  public float[][] encodeStagedImages(int slot, int n) {
    checkBatch(n, staging.maxBatchImage());
    int s = spec.imageSize();
    return call("encode_image", () -> run(encodeImage, imageSlots.rows(slot, n).view(n, 3, s, s), normaliser, n));
  }

  /** Encodes rows {@code [0, n)} of text slot {@code slot}, cut to {@code length} tokens; returns n unit vectors. */
  public float[][] encodeStagedTexts(int slot, int n, int length) {
    checkBatch(n, staging.maxBatchText());
    checkLength(length);
    return call("encode_text", () -> run(encodeText,
        textSlots.rows(slot, n).view(n, spec.contextLength()).narrow(1, 0, length).contiguous(), x -> x, n));
  }

  /** @param pixels n preprocessed images, CHW float32, back to back; returns n unit vectors */
  public float[][] encodeImages(float[] pixels, int n) {
    int chw = 3 * spec.imageSize() * spec.imageSize();
    if (n < 1 || n > staging.maxBatchImage() || pixels.length < n * chw) {
      throw new IllegalArgumentException("bad image batch: n=" + n + ", floats=" + pixels.length);
    }
    int s = spec.imageSize();
    return call("encode_image", () -> {
      Tensor in = ModelLoader.hostTensor(new long[] {n, 3, s, s}, torch.ScalarType.Float, device.isCuda());
      in.data_ptr_float().put(pixels, 0, n * chw);
      return run(encodeImage, in, normaliser, n);
    });
  }

  /** @param ids n rows of {@code length} token ids (zero padded), back to back; returns n unit vectors */
  public float[][] encodeTexts(long[] ids, int n, int length) {
    checkLength(length);
    if (n < 1 || n > staging.maxBatchText() || ids.length < n * length) {
      throw new IllegalArgumentException("bad text batch: n=" + n + ", length=" + length + ", ids=" + ids.length);
    }
    return call("encode_text", () -> {
      Tensor in = ModelLoader.hostTensor(new long[] {n, length}, torch.ScalarType.Long, device.isCuda());
      in.data_ptr_long().put(ids, 0, n * length);
      return run(encodeText, in, x -> x, n);
    });
  }

  private float[][] run(Method method, Tensor hostInput, UnaryOperator<Tensor> onDevice, int n) {
    Tensor out = device.isCuda()
        ? CudaPath.infer(method, hostInput, torchDevice, onDevice)
        : method.apply(new IValueVector(new IValue(onDevice.apply(hostInput)))).toTensor();
    return ModelLoader.toRows(out, n, spec, device.precision() != ComputeDevice.Precision.FP32);
  }

  private interface Encode {
    float[][] run();
  }

  private float[][] call(String what, Encode encode) {
    lifecycle.readLock().lock();
    try (PointerScope scope = new PointerScope(); InferenceMode guard = new InferenceMode();
        CpuAutocast bf16 = CpuAutocast.bf16If(autocast)) {
      ensureOpen();
      return encode.run();
    } catch (ModelException | IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ModelException(what + " failed: " + ModelLoader.firstLine(e), e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  private void guarded(Runnable r) {
    lifecycle.readLock().lock();
    try {
      ensureOpen();
      r.run();
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  private void checkBatch(int n, int max) {
    if (n < 1 || n > max) {
      throw new IllegalArgumentException("batch of " + n + " outside 1.." + max);
    }
  }

  private void checkLength(int length) {
    if (length < 2 || length > spec.contextLength()) {
      throw new IllegalArgumentException("text length " + length + " outside 2.." + spec.contextLength());
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new ModelException("model is closed");
    }
  }

  /** Waits for running calls, then frees staging, constants and the module (reverse order of creation). */
  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      textSlots.close();
      imageSlots.close();
      normaliser.close();
      encodeText.close();
      encodeImage.close();
      module.close();
    } finally {
      lifecycle.writeLock().unlock();
    }
  }
}
