package dev.clipsearch.model.image;

import dev.clipsearch.model.ModelSpec;
import dev.clipsearch.nativelib.NativeImageException;
import dev.clipsearch.nativelib.NativeImagePipeline;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CLIP image transform run by the native library ({@code native/}), writing straight into the caller's buffer:
 * a {@code float[]} slot or a direct {@link FloatBuffer}. Built through {@link ImagePreprocessor#nativeOrJava}, which
 * falls back to {@link JavaImagePreprocessor} when the library is unavailable.
 *
 * <p>Per image, the rare variants the native decoders leave to Java (RLE or 16/32-bit BMP, animated WebP, a GIF
 * without a palette) go through the Java path, with the same results. Errors are the Java path's:
 * {@link BadImageException}, with {@code tooLarge()} for the pixel and byte limits, checked from the header.
 */
final class NativeImagePreprocessor implements ImagePreprocessor {
  private static final Logger log = LoggerFactory.getLogger(NativeImagePreprocessor.class);

  private final JavaImagePreprocessor javaPath;
  private final NativeImagePipeline pipeline;

  /** @throws UnsupportedOperationException when the native library is not available (the reason is logged once) */
  NativeImagePreprocessor(ModelSpec spec, NativeMode mode, long maxPixels, long maxBytes) {
    this.pipeline = new NativeImagePipeline(spec.imageSize(), spec.mean(), spec.std(), mode == NativeMode.FAST,
        maxPixels, maxBytes);
    this.javaPath = new JavaImagePreprocessor(spec, maxBytes);
  }

  @Override
  public boolean usesNative() {
    return true;
  }

  @Override
  public int floatsPerImage() {
    return pipeline.floatsPerImage();
  }

  @Override
  public void preprocessInto(byte[] encoded, float[] dst, int offset) {
    if (offset < 0 || dst.length - offset < floatsPerImage()) {
      throw new IllegalArgumentException(
          "destination needs " + floatsPerImage() + " floats from offset " + offset + ", has " + (dst.length - offset));
    }
    if (!runNative(() -> pipeline.preprocessInto(encoded, dst, offset))) {
      javaPath.preprocessInto(encoded, dst, offset);
    }
  }

  /** Direct native-order buffers are written by the native code itself; others get a copy. */
  @Override
  public void preprocessInto(byte[] encoded, FloatBuffer dst, int index) {
    if (index < 0 || dst.capacity() - index < floatsPerImage()) {
      throw new IllegalArgumentException("destination needs " + floatsPerImage() + " floats from index " + index);
    }
    boolean direct = dst.isDirect() && dst.order() == ByteOrder.nativeOrder();
    if (!direct || !runNative(() -> pipeline.preprocessInto(encoded, dst, index))) {
      dst.put(index, preprocess(encoded));
    }
  }

  /** The 8-bit RGB crop before normalisation (parity tests). */
  byte[] rgbCrop(byte[] encoded) {
    byte[][] out = new byte[1][];
    if (!runNative(() -> out[0] = pipeline.rgbCrop(encoded))) {
      out[0] = javaPath.rgbCrop(javaPath.decode(encoded));
    }
    return out[0];
  }

  /** Runs the native call; false when the Java path must do it (a variant left to Java). */
  private static boolean runNative(Runnable call) {
    try {
      call.run();
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
}
