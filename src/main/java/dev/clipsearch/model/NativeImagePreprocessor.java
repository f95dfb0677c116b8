package dev.clipsearch.model;

import dev.clipsearch.nativelib.NativeImageException;
import dev.clipsearch.nativelib.NativeImagePipeline;
import dev.clipsearch.nativelib.NativeLib;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Optional;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CLIP image transform of {@link ImagePreprocessor} run by the native library ({@code native/}), writing
 * straight into the caller's buffer: a {@code float[]} slot, a direct {@link FloatBuffer}, or a native address (a
 * slot of the pinned LibTorch staging tensor, so no {@code float[]} round trip through the heap).
 *
 * <p>Falls back to the Java path, with the same results, when the library is unavailable (reason logged once at
 * startup by {@link NativeLib}) and, per image, for the rare variants the native decoders leave to Java (RLE or
 * 16/32-bit BMP, animated WebP, a GIF without a palette). Errors are the Java path's: {@link BadImageException},
 * with {@code tooLarge()} for the pixel and byte limits, checked from the header before decoding.
 *
 * <p>Immutable and thread-safe: call it from any number of ingest threads.
 */
public final class NativeImagePreprocessor {
  /** {@link #EXACT}: the Pillow reference's pixels. {@link #FAST}: JPEGs scaled down in the DCT domain first. */
  public enum Mode { EXACT, FAST }

  /** Uploads above this are refused before decoding (the HTTP layer usually caps them lower). */
  public static final long DEFAULT_MAX_BYTES = 256L << 20;

  private static final Logger log = LoggerFactory.getLogger(NativeImagePreprocessor.class);

  private final ImagePreprocessor javaPath;
  private final Optional<NativeImagePipeline> pipeline;
  private final int floats;
  private final long maxBytes;

  private NativeImagePreprocessor(ModelSpec spec, Optional<NativeImagePipeline> pipeline, long maxBytes) {
    this.javaPath = new ImagePreprocessor(spec);
    this.pipeline = pipeline;
    this.floats = 3 * spec.imageSize() * spec.imageSize();
    this.maxBytes = maxBytes;
  }

  /** The native pipeline when the library loads, else the Java path. */
  public static NativeImagePreprocessor create(ModelSpec spec, Mode mode) {
    return create(spec, mode, ImageDecoder.DEFAULT_MAX_PIXELS, DEFAULT_MAX_BYTES);
  }

  public static NativeImagePreprocessor create(ModelSpec spec, Mode mode, long maxPixels, long maxBytes) {
    try {
      return new NativeImagePreprocessor(spec, Optional.of(new NativeImagePipeline(spec.imageSize(), spec.mean(),
          spec.std(), mode == Mode.FAST, maxPixels, maxBytes)), maxBytes);
    } catch (UnsupportedOperationException e) { // reason already logged once by NativeLib
      return javaOnly(spec, maxBytes);
    }
  }

  /** The Java path behind the same interface (for comparisons, or when configured off). */
  public static NativeImagePreprocessor javaOnly(ModelSpec spec, long maxBytes) {
    return new NativeImagePreprocessor(spec, Optional.empty(), maxBytes);
  }

  /** Whether images go through the native library. */
  public boolean usesNative() {
    return pipeline.isPresent();
  }

  /** Decodes and preprocesses one image: CHW float32, {@code 3 * S * S} values. */
  public float[] preprocess(byte[] encoded) {
    float[] out = new float[floats];
    preprocessInto(encoded, out, 0);
    return out;
  }

  /** Same contract as {@link ImagePreprocessor#preprocessInto(byte[], float[], int)}. */
  public void preprocessInto(byte[] encoded, float[] dst, int offset) {
    if (offset < 0 || dst.length - offset < floats) {
      throw new IllegalArgumentException(
          "destination needs " + floats + " floats from offset " + offset + ", has " + (dst.length - offset));
    }
    if (!runNative(encoded, p -> p.preprocessInto(encoded, dst, offset))) {
      javaInto(encoded, dst, offset);
    }
  }

  /** Writes at {@code dst.get(index ...)}; direct native-order buffers are written by the native code itself. */
  public void preprocessInto(byte[] encoded, FloatBuffer dst, int index) {
    if (index < 0 || dst.capacity() - index < floats) {
      throw new IllegalArgumentException("destination needs " + floats + " floats from index " + index);
    }
    boolean direct = dst.isDirect() && dst.order() == ByteOrder.nativeOrder();
    if (!direct || !runNative(encoded, p -> p.preprocessInto(encoded, dst, index))) {
      float[] values = new float[floats];
      javaInto(encoded, values, 0);
      dst.put(index, values);
    }
  }

  /**
   * Writes {@code 3 * S * S} floats at a native address with room for {@code capacityFloats}: e.g. the image
   * staging tensor's {@code data_ptr()} plus {@code 4 * slot * 3 * S * S}. The caller keeps the memory alive.
   */
  public void preprocessIntoAddress(byte[] encoded, long address, long capacityFloats) {
    if (address == 0 || capacityFloats < floats) {
      throw new IllegalArgumentException("destination needs " + floats + " floats, has " + capacityFloats);
    }
    if (!runNative(encoded, p -> p.preprocessIntoAddress(encoded, address, capacityFloats))) {
      float[] values = new float[floats];
      javaInto(encoded, values, 0);
      try (FloatPointer target = new FloatPointer(new AddressPointer(address))) {
        target.put(values, 0, floats);
      }
    }
  }

  /** The 8-bit RGB crop before normalisation (parity tests). */
  byte[] rgbCrop(byte[] encoded) {
    byte[][] out = new byte[1][];
    if (!runNative(encoded, p -> out[0] = p.rgbCrop(encoded))) {
      checkBytes(encoded);
      out[0] = javaPath.rgbCrop(ImageDecoder.decode(encoded, ImageDecoder.DEFAULT_MAX_PIXELS));
    }
    return out[0];
  }

  private interface NativeCall {
    void run(NativeImagePipeline pipeline);
  }

  /** Runs the native call; false when the Java path must do it (no library, or a variant left to Java). */
  private boolean runNative(byte[] encoded, NativeCall call) {
    if (pipeline.isEmpty()) {
      return false;
    }
    try {
      call.run(pipeline.get());
      return true;
    } catch (NativeImageException e) {
      switch (e.kind()) {
        case BAD_IMAGE -> throw new BadImageException(e.getMessage());
        case TOO_LARGE -> throw new BadImageException(e.getMessage(), true);
        case UNSUPPORTED -> {
          log.debug("native decoder leaves this image to the Java path: {}", e.getMessage());
          return false;
        }
        default -> throw new IllegalStateException("native image pipeline failed: " + e.getMessage(), e);
      }
    }
  }

  private void javaInto(byte[] encoded, float[] dst, int offset) {
    checkBytes(encoded);
    javaPath.preprocessInto(encoded, dst, offset);
  }

  private void checkBytes(byte[] encoded) {
    if (encoded.length > maxBytes) {
      throw new BadImageException("image too large: " + encoded.length + " bytes is over " + maxBytes, true);
    }
  }

  /** A JavaCPP view of memory owned elsewhere (never freed here: no deallocator is attached). */
  private static final class AddressPointer extends Pointer {
    AddressPointer(long at) {
      address = at;
    }
  }
}
