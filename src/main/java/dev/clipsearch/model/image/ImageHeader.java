package dev.clipsearch.model.image;

/**
 * Format and pixel dimensions read from the first bytes of an encoded image, without decoding anything, so that
 * a decompression bomb is refused before a decoder allocates its pixels.
 *
 * @param pngColourType PNG IHDR colour type (0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA), else -1
 * @param pngBitDepth PNG IHDR bit depth, else -1
 * @param jpegComponents number of JPEG frame components (1 grey, 3 YCbCr/RGB, 4 CMYK/YCCK), else -1
 */
record ImageHeader(Format format, int width, int height, int pngColourType, int pngBitDepth, int jpegComponents) {

  enum Format { JPEG, PNG, GIF, BMP, WEBP }

  static ImageHeader parse(byte[] b) {
    try {
      if (b.length >= 3 && u8(b, 0) == 0xFF && u8(b, 1) == 0xD8 && u8(b, 2) == 0xFF) {
        return jpeg(b);
      }
      if (b.length >= 8 && u32be(b, 0) == 0x89504E47L && u32be(b, 4) == 0x0D0A1A0AL) {
        return png(b);
      }
      if (b.length >= 6 && ascii(b, 0, 6).matches("GIF8[79]a")) {
        return gif(b);
      }
      if (b.length >= 2 && ascii(b, 0, 2).equals("BM")) {
        return bmp(b);
      }
      if (b.length >= 12 && ascii(b, 0, 4).equals("RIFF") && ascii(b, 8, 4).equals("WEBP")) {
        return webp(b);
      }
    } catch (ArrayIndexOutOfBoundsException e) {
      throw new BadImageException("truncated image header");
    }
    throw new BadImageException("unsupported or unrecognised image format (JPEG, PNG, GIF, BMP and WebP are accepted)");
  }

  private static ImageHeader jpeg(byte[] b) {
    int p = 2;
    while (true) {
      while (u8(b, p) != 0xFF) {
        p++; // tolerate garbage between segments, as libjpeg does (with a warning)
      }
      while (u8(b, p) == 0xFF) {
        p++; // fill bytes
      }
      int marker = u8(b, p++);
      if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
        continue; // standalone markers
      }
      if (marker == 0xD9 || marker == 0xDA) {
        throw new BadImageException("JPEG without a frame header");
      }
      int length = u16be(b, p);
      boolean startOfFrame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
      if (startOfFrame) {
        return new ImageHeader(Format.JPEG, u16be(b, p + 5), u16be(b, p + 3), -1, -1, u8(b, p + 7));
      }
      p += length;
    }
  }

  private static ImageHeader png(byte[] b) {
    if (!ascii(b, 12, 4).equals("IHDR")) {
      throw new BadImageException("PNG without IHDR");
    }
    long w = u32be(b, 16);
    long h = u32be(b, 20);
    return new ImageHeader(Format.PNG, clampToInt(w), clampToInt(h), u8(b, 25), u8(b, 24), -1);
  }

  /** Pillow's size: the logical screen, grown to hold the first frame if that frame sticks out of it. */
  private static ImageHeader gif(byte[] b) {
    int w = u16le(b, 6);
    int h = u16le(b, 8);
    int flags = u8(b, 10);
    int p = 13 + ((flags & 0x80) != 0 ? 3 << ((flags & 7) + 1) : 0);
    while (u8(b, p) == 0x21) { // extension: label, then data sub-blocks up to a zero-length one
      p += 2;
      while (u8(b, p) != 0) {
        p += u8(b, p) + 1;
      }
      p++;
    }
    if (u8(b, p) != 0x2C) {
      throw new BadImageException("GIF without an image");
    }
    int right = u16le(b, p + 1) + u16le(b, p + 5);
    int bottom = u16le(b, p + 3) + u16le(b, p + 7);
    return new ImageHeader(Format.GIF, Math.max(w, right), Math.max(h, bottom), -1, -1, -1);
  }

  private static ImageHeader bmp(byte[] b) {
    long dibSize = u32le(b, 14);
    if (dibSize == 12) { // OS/2 BITMAPCOREHEADER
      return new ImageHeader(Format.BMP, u16le(b, 18), u16le(b, 20), -1, -1, -1);
    }
    long w = (int) u32le(b, 18);
    long h = Math.abs((long) (int) u32le(b, 22)); // negative height: rows stored top-down
    return new ImageHeader(Format.BMP, clampToInt(Math.abs(w)), clampToInt(h), -1, -1, -1);
  }

  private static ImageHeader webp(byte[] b) {
    if (b.length < 8 + u32le(b, 4)) {
      // libwebp (so Pillow) refuses a file shorter than its RIFF size; TwelveMonkeys would decode the part present
      throw new BadImageException("truncated WebP image");
    }
    String chunk = ascii(b, 12, 4);
    switch (chunk) {
      case "VP8 ": // lossy: key frame header after the 3-byte frame tag and the 9D 01 2A start code
        return new ImageHeader(Format.WEBP, u16le(b, 26) & 0x3FFF, u16le(b, 28) & 0x3FFF, -1, -1, -1);
      case "VP8L": { // lossless: 0x2F, then 14 bits width-1 and 14 bits height-1, little-endian bit order
        long bits = u32le(b, 21);
        return new ImageHeader(Format.WEBP, (int) (bits & 0x3FFF) + 1, (int) ((bits >> 14) & 0x3FFF) + 1, -1, -1, -1);
      }
      case "VP8X": // extended: 24-bit canvas width-1 and height-1
        return new ImageHeader(Format.WEBP, u24le(b, 24) + 1, u24le(b, 27) + 1, -1, -1, -1);
      default:
        throw new BadImageException("unsupported WebP chunk " + chunk.strip());
    }
  }

  private static int clampToInt(long v) {
    return (int) Math.min(v, Integer.MAX_VALUE);
  }

  private static int u8(byte[] b, int p) {
    return b[p] & 0xFF;
  }

  private static int u16be(byte[] b, int p) {
    return u8(b, p) << 8 | u8(b, p + 1);
  }

  private static int u16le(byte[] b, int p) {
    return u8(b, p) | u8(b, p + 1) << 8;
  }

  private static int u24le(byte[] b, int p) {
    return u16le(b, p) | u8(b, p + 2) << 16;
  }

  private static long u32be(byte[] b, int p) {
    return (long) u16be(b, p) << 16 | u16be(b, p + 2);
  }

  private static long u32le(byte[] b, int p) {
    return u16le(b, p) | (long) u16le(b, p + 2) << 16;
  }

  private static String ascii(byte[] b, int p, int n) {
    return new String(b, p, n, java.nio.charset.StandardCharsets.ISO_8859_1);
  }
}
