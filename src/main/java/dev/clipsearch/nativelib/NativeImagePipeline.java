package dev.clipsearch.nativelib;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * The native CLIP image transform for one model: decode, Pillow-exact bicubic resize of the shortest side, centre
 * crop, convert to RGB, normalise; float32 CHW written straight into the caller's memory. Immutable, thread-safe,
 * holds no native resources (each call is self-contained).
 *
 * <p>Exact mode gives the pixels of the Pillow reference (and of the Java path); fast mode lets libjpeg-turbo scale a
 * JPEG down by n/8 in the DCT domain first, to the smallest scale whose shorter side is still at least S.
 */
public final class NativeImagePipeline {
  private final int size;
  private final boolean fast;
  private final long maxPixels;
  private final long maxBytes;
  private final float[] meanStd;

  /**
   * @throws UnsupportedOperationException when the native library is not available (the reason is logged once)
   */
  public NativeImagePipeline(int size, float[] mean, float[] std, boolean fast, long maxPixels, long maxBytes) {
    if (size < 1 || size > 4096 || mean.length != 3 || std.length != 3 || maxPixels < 1 || maxBytes < 1) {
      throw new IllegalArgumentException("invalid transform: size " + size + ", limits " + maxPixels + "/" + maxBytes);
    }
    NativeLib.require();
    this.size = size;
    this.fast = fast;
    this.maxPixels = maxPixels;
    this.maxBytes = maxBytes;
    this.meanStd = new float[] {mean[0], mean[1], mean[2], std[0], std[1], std[2]};
  }

  /** Number of floats one image takes: 3 * S * S. */
  public int floatsPerImage() {
    return 3 * size * size;
  }

  public void preprocessInto(byte[] encoded, float[] dst, int offset) {
    checkSlot(offset, dst.length);
    NativeImageOps.preprocessToArray(
        encoded, 0, encoded.length, size, fast, maxPixels, maxBytes, meanStd, dst, offset);
  }

  /**
   * Writes at {@code dst.get(index ... index + 3*S*S - 1)} of a direct, native-order buffer (position and limit are
   * ignored, as for absolute puts).
   */
  public void preprocessInto(byte[] encoded, FloatBuffer dst, int index) {
    if (!dst.isDirect() || dst.order() != ByteOrder.nativeOrder()) {
      throw new IllegalArgumentException("destination must be a direct buffer in native byte order");
    }
    checkSlot(index, dst.capacity());
    NativeImageOps.preprocessToBuffer(encoded, 0, encoded.length, size, fast, maxPixels, maxBytes, meanStd, dst,
        4L * index, 4L * dst.capacity());
  }

  /**
   * Writes at a native address with room for {@code capacityFloats} floats, e.g. {@code tensor.data_ptr()} plus
   * the slot's byte offset in a pinned LibTorch staging buffer. The caller keeps that memory alive for the call.
   */
  public void preprocessIntoAddress(byte[] encoded, long address, long capacityFloats) {
    if (address == 0 || capacityFloats < floatsPerImage()) {
      throw new IllegalArgumentException("destination needs " + floatsPerImage() + " floats, has " + capacityFloats);
    }
    NativeImageOps.preprocessToAddress(
        encoded, 0, encoded.length, size, fast, maxPixels, maxBytes, meanStd, address, 4L * capacityFloats);
  }

  /** The 8-bit RGB S x S crop (row-major, 3 bytes per pixel) before normalisation. */
  public byte[] rgbCrop(byte[] encoded) {
    return NativeImageOps.rgbCrop(encoded, size, fast, maxPixels, maxBytes);
  }

  private void checkSlot(int offset, int capacity) {
    if (offset < 0 || capacity - offset < floatsPerImage()) {
      throw new IllegalArgumentException(
          "destination needs " + floatsPerImage() + " floats from offset " + offset + ", has " + (capacity - offset));
    }
  }
}
