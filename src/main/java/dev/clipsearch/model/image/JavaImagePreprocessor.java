package dev.clipsearch.model.image;

import dev.clipsearch.model.ModelSpec;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;

/**
 * CLIP image preprocessing in pure Java, pixel-identical to open_clip's val transform on a PIL image:
 * {@code Resize(S, BICUBIC)} of the shorter side (Pillow's antialiased bicubic, in the image's own mode),
 * {@code CenterCrop(S)}, {@code convert('RGB')}, {@code ToTensor}, {@code Normalize(mean, std)}.
 *
 * <p>Only the S x S crop window is ever resampled, and the result goes straight into the caller's float buffer.
 * Instances are immutable and thread-safe.
 */
public final class JavaImagePreprocessor implements ImagePreprocessor {
  private final int size;
  private final long maxBytes;
  /** (v / 255 - mean) / std per channel and byte value, in float32 as torch computes it. */
  private final float[][] normalised = new float[3][256];

  public JavaImagePreprocessor(ModelSpec spec) {
    this(spec, DEFAULT_MAX_BYTES);
  }

  JavaImagePreprocessor(ModelSpec spec, long maxBytes) {
    this.size = spec.imageSize();
    this.maxBytes = maxBytes;
    for (int c = 0; c < 3; c++) {
      for (int v = 0; v < 256; v++) {
        float unit = (float) v / 255f; // ToTensor: uint8 -> float32, then div(255)
        normalised[c][v] = (unit - spec.mean()[c]) / spec.std()[c]; // Normalize: sub_(mean).div_(std), float32
      }
    }
  }

  @Override
  public boolean usesNative() {
    return false;
  }

  @Override
  public int floatsPerImage() {
    return 3 * size * size;
  }

  @Override
  public void preprocessInto(byte[] encoded, float[] dst, int offset) {
    preprocessInto(decode(encoded), dst, offset);
  }

  @Override
  public void preprocessInto(byte[] encoded, FloatBuffer dst, int index) {
    if (index < 0 || dst.capacity() - index < floatsPerImage()) {
      throw new IllegalArgumentException("destination needs " + floatsPerImage() + " floats from index " + index);
    }
    dst.put(index, preprocess(encoded));
  }

  /** Refuses input over the byte limit before decoding it (the native path checks the same limit). */
  BufferedImage decode(byte[] encoded) {
    if (encoded.length > maxBytes) {
      throw new BadImageException("image too large: " + encoded.length + " bytes is over " + maxBytes, true);
    }
    return ImageDecoder.decode(encoded, ImageDecoder.DEFAULT_MAX_PIXELS);
  }

  /**
   * Preprocesses an already decoded image. Its samples are taken as they are stored (as Pillow would, no colour
   * management); an IndexColorModel image counts as Pillow mode P, a 16-bit grey one as I;16, grey/RGB/CMYK with or
   * without alpha as L/LA/RGB/RGBA/CMYK. Other layouts throw {@link BadImageException}.
   */
  public void preprocessInto(BufferedImage img, float[] dst, int offset) {
    int plane = size * size;
    if (offset < 0 || dst.length - offset < 3 * plane) {
      throw new IllegalArgumentException(
          "destination needs " + 3 * plane + " floats from offset " + offset + ", has " + (dst.length - offset));
    }
    byte[] rgb = rgbCrop(img);
    float[] r = normalised[0];
    float[] g = normalised[1];
    float[] b = normalised[2];
    for (int i = 0, q = 0; i < plane; i++, q += 3) {
      dst[offset + i] = r[rgb[q] & 0xFF];
      dst[offset + plane + i] = g[rgb[q + 1] & 0xFF];
      dst[offset + 2 * plane + i] = b[rgb[q + 2] & 0xFF];
    }
  }

  /** The 8-bit RGB S x S crop (row-major, 3 bytes per pixel) that the reference hands to ToTensor. */
  byte[] rgbCrop(BufferedImage img) {
    PillowImage src = PillowImage.of(img);
    int[] resized = resizedSize(src.width, src.height, size);
    int outW = resized[0];
    int outH = resized[1];
    int left = cropOffset(outW, size);
    int top = cropOffset(outH, size);
    byte[] rgb = new byte[size * size * 3];
    if (outW == src.width && outH == src.height) { // short side already S: torchvision skips the resize
      PillowImage window = src.window(left, top, size);
      if (src.mode == PillowImage.Mode.I16) {
        PillowConvert.grey16ToRgb(samples16(window), rgb);
      } else {
        PillowConvert.toRgb(window, false, rgb);
      }
      return rgb;
    }
    switch (src.mode) {
      case P -> PillowConvert.toRgb(
          src.withPixels(size, size, ResampleNearest.resizeWindow(src, outW, outH, left, top, size)), false, rgb);
      case I16 -> PillowConvert.grey16ToRgb(ResampleBicubic16.resizeWindow(src, outW, outH, left, top, size), rgb);
      case RGBA, LA -> {
        int[] region = ResampleBicubic.inputRegion(src.width, src.height, outW, outH, left, top, size);
        PillowImage premultiplied = PillowConvert.premultiplied(src, region[0], region[1], region[2], region[3]);
        byte[] window = ResampleBicubic.resizeWindow(premultiplied, outW, outH, left, top, size);
        PillowConvert.toRgb(premultiplied.withPixels(size, size, window), true, rgb);
      }
      default -> PillowConvert.toRgb(
          src.withPixels(size, size, ResampleBicubic.resizeWindow(src, outW, outH, left, top, size)), false, rgb);
    }
    return rgb;
  }

  /**
   * torchvision's size for {@code Resize(S)}: the shorter side becomes S, the longer {@code int(S * long / short)}
   * (truncated; double division as in Python). Returns {width, height}.
   */
  static int[] resizedSize(int width, int height, int size) {
    int shorter = Math.min(width, height);
    int longer = Math.max(width, height);
    double newLonger = Math.floor((double) size * longer / shorter);
    if (newLonger * size > Integer.MAX_VALUE) {
      // e.g. 1 x 10,000,000: Pillow would need a 224 x 2.24e9 intermediate and fail with MemoryError
      throw new BadImageException("aspect ratio too extreme to resize: " + width + "x" + height);
    }
    return width <= height ? new int[] {size, (int) newLonger} : new int[] {(int) newLonger, size};
  }

  /**
   * torchvision's CenterCrop offset, {@code int(round((length - S) / 2.0))}: Python rounds halves to even, so an odd
   * excess of 5 gives 2 and of 7 gives 4 (older torchvision releases used {@code int((length - S + 1) * 0.5)}).
   */
  static int cropOffset(int length, int size) {
    return (int) Math.rint((length - size) / 2.0);
  }

  private static int[] samples16(PillowImage window) {
    int[] out = new int[window.width * window.height];
    for (int y = 0; y < window.height; y++) {
      for (int x = 0; x < window.width; x++) {
        out[y * window.width + x] = window.samples16[window.offset + y * window.rowStride + x * window.pixelStride] & 0xFFFF;
      }
    }
    return out;
  }
}
