package dev.clipsearch.nativelib;

import java.nio.Buffer;

/**
 * The JNI entry points of {@code libclipsearch_native} ({@code native/src/jni_bridge.cc}). Only callable once
 * {@link NativeLib#load()} has succeeded; {@link NativeImagePipeline} is the checked way in. Every method is
 * stateless and thread-safe; errors arrive as {@link NativeImageException}.
 *
 * <p>Transform parameters: {@code size} (output S), {@code fast} (DCT-domain JPEG downscale first),
 * {@code maxPixels}/{@code maxBytes} (checked from the header), {@code meanStd} = {mean R, G, B, std R, G, B}.
 */
final class NativeImageOps {
  private NativeImageOps() {}

  /** Writes 3*S*S floats (CHW) at a native address, e.g. a slot of a LibTorch staging tensor. */
  static native void preprocessToAddress(byte[] src, int offset, int length, int size, boolean fast, long maxPixels,
      long maxBytes, float[] meanStd, long address, long capacityBytes);

  /** Writes 3*S*S floats at {@code byteOffset} of a direct buffer whose capacity is {@code capacityBytes}. */
  static native void preprocessToBuffer(byte[] src, int offset, int length, int size, boolean fast, long maxPixels,
      long maxBytes, float[] meanStd, Buffer buffer, long byteOffset, long capacityBytes);

  /** Writes 3*S*S floats at {@code dst[dstOffset...]} (one copy out of native memory). */
  static native void preprocessToArray(byte[] src, int offset, int length, int size, boolean fast, long maxPixels,
      long maxBytes, float[] meanStd, float[] dst, int dstOffset);

  /** The 8-bit RGB S x S crop before ToTensor, for parity tests. */
  static native byte[] rgbCrop(byte[] src, int size, boolean fast, long maxPixels, long maxBytes);

  /** The decoder libraries the native library was built against, for the startup log. */
  static native String libraryVersions();
}
