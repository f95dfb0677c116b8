package dev.clipsearch.nativelib;

/**
 * A failure of the native image pipeline, thrown from C++ through the JNI layer ({@code native/include/jni_guard.h}).
 * The {@link Kind} tells the caller what to do: reject the upload, or hand the image to the Java path.
 */
public final class NativeImageException extends RuntimeException {
  /** The numbers are the JNI contract with {@code clipimg::ErrorKind} in {@code native/include/clipimg/errors.h}. */
  public enum Kind {
    /** Empty, truncated, corrupt or unrecognised data: a bad upload (HTTP 400). */
    BAD_IMAGE,
    /** Over the pixel or byte limit, found from the header before decoding (HTTP 413). */
    TOO_LARGE,
    /** A valid file in a variant the native decoders leave to the Java path (RLE BMP, animated WebP, ...). */
    UNSUPPORTED,
    /** A bug or resource failure on the native side (out of memory, bad arguments). */
    INTERNAL;

    static Kind of(int code) {
      return switch (code) {
        case 1 -> BAD_IMAGE;
        case 2 -> TOO_LARGE;
        case 3 -> UNSUPPORTED;
        default -> INTERNAL;
      };
    }
  }

  private final Kind kind;

  /** Called from native code with the numeric kind. */
  NativeImageException(int code, String message) {
    super(message);
    this.kind = Kind.of(code);
  }

  public Kind kind() {
    return kind;
  }
}
