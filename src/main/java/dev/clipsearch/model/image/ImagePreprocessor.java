package dev.clipsearch.model.image;

import dev.clipsearch.model.ModelSpec;
import java.nio.FloatBuffer;

/**
 * Encoded image bytes in, the model's input out: CLIP's image transform (decode, resize of the shorter side, centre
 * crop, RGB, normalise) as CHW float32, {@code 3 * S * S} values. Two implementations give the same pixels:
 * {@link JavaImagePreprocessor} (pure Java) and the native library's, which hands the variants it does not decode to
 * the Java one. Implementations are immutable and thread-safe.
 *
 * <p>Errors: {@link BadImageException} for bytes that are not a decodable image, with {@code tooLarge()} for images
 * over the pixel or byte limit (checked from the header, before decoding).
 */
public interface ImagePreprocessor {
  /** Uploads above this are refused before decoding (the HTTP layer usually caps them lower). */
  long DEFAULT_MAX_BYTES = 256L << 20;

  /** How the native library decodes. {@code FAST} does not change what the Java path computes. */
  enum NativeMode {
    /** The Pillow reference's pixels. */
    EXACT,
    /** JPEGs scaled down by n/8 in the DCT domain before the resize: faster, slightly different pixels. */
    FAST
  }

  /** The preprocessor a {@code --image-decoder} choice names. */
  static ImagePreprocessor of(DecoderChoice choice, ModelSpec spec) {
    return switch (choice) {
      case JAVA -> java(spec);
      case NATIVE_FAST -> nativeOrJava(spec, NativeMode.FAST);
      case NATIVE -> nativeOrJava(spec, NativeMode.EXACT);
    };
  }

  /** The pure-Java transform. */
  static ImagePreprocessor java(ModelSpec spec) {
    return new JavaImagePreprocessor(spec);
  }

  /** The native library's transform when the library loads, else the Java one ({@code NativeLib} logs why once). */
  static ImagePreprocessor nativeOrJava(ModelSpec spec, NativeMode mode) {
    try {
      return new NativeImagePreprocessor(spec, mode, ImageDecoder.DEFAULT_MAX_PIXELS, DEFAULT_MAX_BYTES);
    } catch (UnsupportedOperationException e) {
      return java(spec);
    }
  }

  /** Whether images go through the native library. */
  boolean usesNative();

  /** Decodes and preprocesses one image. */
  default float[] preprocess(byte[] encoded) {
    float[] out = new float[floatsPerImage()];
    preprocessInto(encoded, out, 0);
    return out;
  }

  /** Writes the image's {@code 3 * S * S} values at {@code dst[offset...]} and nothing else. */
  void preprocessInto(byte[] encoded, float[] dst, int offset);

  /**
   * Writes at {@code dst.get(index ...)} (absolute, position and limit ignored). A direct buffer in native byte order
   * is written without a heap copy where the implementation can.
   */
  void preprocessInto(byte[] encoded, FloatBuffer dst, int index);

  /** {@code 3 * S * S}. */
  int floatsPerImage();
}
