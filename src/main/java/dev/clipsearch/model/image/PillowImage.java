package dev.clipsearch.model.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferUShort;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;

/**
 * The samples of a decoded image, seen as the Pillow image mode that {@code Image.open} would give it. The mode
 * decides how Pillow resizes it: P/1 with NEAREST, RGBA/LA premultiplied, I;16 in 16 bits, the rest bicubic 8-bit.
 *
 * <p>8-bit samples are read in place where the raster allows (no copy of JPEG/PNG pixels): sample (x, y, band) is at
 * {@code data[offset + y * rowStride + x * pixelStride + bandOffsets[band]]}, bands in Pillow's order (R,G,B,A /
 * L,A / C,M,Y,K / palette index). I;16 samples are in {@code samples16} the same way, one band.
 */
final class PillowImage {
  enum Mode { L, LA, RGB, RGBA, CMYK, P, I16 }

  final Mode mode;
  final int width;
  final int height;
  final int bands;
  final byte[] data;
  final short[] samples16;
  final int offset;
  final int rowStride;
  final int pixelStride;
  final int[] bandOffsets;
  /** Mode P: 0xRRGGBB per palette index, 256 entries (indices past the palette are black, as in Pillow). */
  final int[] palette;

  private PillowImage(Mode mode, int width, int height, int bands, byte[] data, short[] samples16, int offset,
      int rowStride, int pixelStride, int[] bandOffsets, int[] palette) {
    this.mode = mode;
    this.width = width;
    this.height = height;
    this.bands = bands;
    this.data = data;
    this.samples16 = samples16;
    this.offset = offset;
    this.rowStride = rowStride;
    this.pixelStride = pixelStride;
    this.bandOffsets = bandOffsets;
    this.palette = palette;
  }

  /** Interleaved 8-bit samples, {@code bands} bytes per pixel, rows packed. */
  static PillowImage packed(Mode mode, int width, int height, int bands, byte[] data) {
    return new PillowImage(mode, width, height, bands, data, null, 0, width * bands, bands, identity(bands), null);
  }

  /**
   * A {@code width x height} image of which only the region from ({@code x0}, {@code y0}), {@code regionWidth}
   * pixels wide, is stored (packed, in {@code data}); pixels are addressed with full-image coordinates. Used for the
   * premultiplied copy of an RGBA image: only the pixels the crop window's resampling reads are converted.
   */
  static PillowImage packedRegion(Mode mode, int width, int height, int bands, int x0, int y0, int regionWidth,
      byte[] data) {
    int rowStride = regionWidth * bands;
    return new PillowImage(mode, width, height, bands, data, null, -(y0 * rowStride + x0 * bands), rowStride, bands,
        identity(bands), null);
  }

  private static int[] identity(int bands) {
    int[] offsets = new int[bands];
    for (int b = 0; b < bands; b++) {
      offsets[b] = b;
    }
    return offsets;
  }

  /** Resampled window pixels of this image's mode (and palette), packed. */
  PillowImage withPixels(int w, int h, byte[] pixels) {
    return new PillowImage(mode, w, h, bands, pixels, null, 0, w * bands, bands, identity(bands), palette);
  }

  /** The {@code size x size} region at ({@code left}, {@code top}), sharing the samples (a crop without a copy). */
  PillowImage window(int left, int top, int size) {
    return new PillowImage(mode, size, size, bands, data, samples16, offset + top * rowStride + left * pixelStride,
        rowStride, pixelStride, bandOffsets, palette);
  }

  static PillowImage of(BufferedImage img) {
    ColorModel cm = img.getColorModel();
    WritableRaster raster = img.getRaster();
    if (cm.isAlphaPremultiplied()) { // Pillow-side images are never premultiplied: undo it on a copy
      raster = cm.createCompatibleWritableRaster(img.getWidth(), img.getHeight());
      raster.setRect(img.getRaster());
      cm = cm.coerceData(raster, false);
    }
    if (cm instanceof IndexColorModel icm) {
      return palette(raster, icm);
    }
    int bands = raster.getNumBands();
    Mode mode = switch (cm.getColorSpace().getType()) {
      case ColorSpace.TYPE_GRAY -> bands == 1 ? Mode.L : Mode.LA;
      case ColorSpace.TYPE_RGB -> bands == 3 ? Mode.RGB : Mode.RGBA;
      case ColorSpace.TYPE_CMYK -> Mode.CMYK;
      default -> throw new BadImageException("unsupported colour space in decoded image");
    };
    if (bands != (mode == Mode.L ? 1 : mode == Mode.LA ? 2 : mode == Mode.RGB ? 3 : 4)
        || (mode == Mode.LA || mode == Mode.RGBA) != cm.hasAlpha()) {
      throw new BadImageException("unsupported band layout in decoded image: " + bands + " bands, " + mode);
    }
    if (mode == Mode.L && raster.getTransferType() == DataBuffer.TYPE_USHORT) {
      return grey16(raster);
    }
    PillowImage inPlace = inPlace(mode, raster);
    return inPlace != null ? inPlace : copied(mode, raster);
  }

  /** A view of byte-interleaved samples where they lie; null when the raster is laid out otherwise. */
  private static PillowImage inPlace(Mode mode, Raster raster) {
    if (!(raster.getDataBuffer() instanceof DataBufferByte buffer) || buffer.getNumBanks() != 1
        || !(raster.getSampleModel() instanceof ComponentSampleModel sm)) {
      return null;
    }
    for (int bank : sm.getBankIndices()) {
      if (bank != 0) {
        return null;
      }
    }
    int base = buffer.getOffset() + origin(raster, sm);
    return new PillowImage(mode, raster.getWidth(), raster.getHeight(), raster.getNumBands(), buffer.getData(), null,
        base, sm.getScanlineStride(), sm.getPixelStride(), sm.getBandOffsets(), null);
  }

  /** Index of the raster's pixel (0, 0) in its buffer, band offsets not included (a child raster starts inside). */
  private static int origin(Raster raster, ComponentSampleModel sm) {
    return -raster.getSampleModelTranslateY() * sm.getScanlineStride()
        - raster.getSampleModelTranslateX() * sm.getPixelStride();
  }

  /** Any other layout (packed ints, 16-bit, banded): copied to interleaved bytes, keeping the top 8 bits. */
  private static PillowImage copied(Mode mode, Raster raster) {
    int w = raster.getWidth();
    int h = raster.getHeight();
    int bands = raster.getNumBands();
    int[] shift = new int[bands];
    for (int b = 0; b < bands; b++) {
      // 16-bit PNG samples: Pillow keeps the most significant byte ("RGB;16B" raw mode)
      shift[b] = Math.max(0, raster.getSampleModel().getSampleSize(b) - 8);
    }
    byte[] out = new byte[w * h * bands];
    int[] row = new int[w * bands];
    for (int y = 0, o = 0; y < h; y++) {
      raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, row);
      for (int i = 0; i < row.length; i++, o++) {
        out[o] = (byte) (row[i] >>> shift[i % bands]);
      }
    }
    return packed(mode, w, h, bands, out);
  }

  private static PillowImage grey16(Raster raster) {
    int w = raster.getWidth();
    int h = raster.getHeight();
    if (raster.getDataBuffer() instanceof DataBufferUShort buffer && buffer.getNumBanks() == 1
        && raster.getSampleModel() instanceof ComponentSampleModel sm) {
      int base = buffer.getOffset() + origin(raster, sm) + sm.getBandOffsets()[0];
      return new PillowImage(Mode.I16, w, h, 1, null, buffer.getData(), base, sm.getScanlineStride(),
          sm.getPixelStride(), new int[] {0}, null);
    }
    short[] out = new short[w * h];
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      raster.getSamples(raster.getMinX(), raster.getMinY() + y, w, 1, 0, row);
      for (int x = 0; x < w; x++) {
        out[y * w + x] = (short) row[x];
      }
    }
    return new PillowImage(Mode.I16, w, h, 1, null, out, 0, w, 1, new int[] {0}, null);
  }

  private static PillowImage palette(Raster raster, IndexColorModel icm) {
    int[] rgb = new int[256];
    for (int i = 0; i < Math.min(256, icm.getMapSize()); i++) {
      rgb[i] = icm.getRGB(i) & 0xFFFFFF; // alpha dropped: Pillow's convert('RGB') of P ignores transparency
    }
    int w = raster.getWidth();
    int h = raster.getHeight();
    PillowImage view = raster.getSampleModel().getSampleSize(0) == 8 ? inPlace(Mode.P, raster) : null;
    byte[] indices = null;
    if (view == null) { // 1/2/4-bit packed indices: unpack to one byte each
      indices = new byte[w * h];
      int[] row = new int[w];
      for (int y = 0; y < h; y++) {
        raster.getSamples(raster.getMinX(), raster.getMinY() + y, w, 1, 0, row);
        for (int x = 0; x < w; x++) {
          indices[y * w + x] = (byte) row[x];
        }
      }
    }
    return view != null
        ? new PillowImage(Mode.P, w, h, 1, view.data, null, view.offset, view.rowStride, view.pixelStride,
            view.bandOffsets, rgb)
        : new PillowImage(Mode.P, w, h, 1, indices, null, 0, w, 1, new int[] {0}, rgb);
  }
}
