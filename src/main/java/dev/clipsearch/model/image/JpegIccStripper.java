package dev.clipsearch.model.image;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Removes the APP2 "ICC_PROFILE" segments of a JPEG. JDK ImageIO and TwelveMonkeys colour-manage a JPEG with an
 * embedded profile into sRGB; Pillow (so open_clip, so CLIP's training data) never does and hands over the raw
 * decoded samples. Without the profile both decoders give Pillow's pixels (an Adobe RGB photo otherwise differs by
 * up to 55 grey levels).
 */
final class JpegIccStripper {
  private static final byte[] ICC_TAG = "ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1);

  private JpegIccStripper() {}

  /** The same bytes without ICC segments; {@code jpeg} itself when it has none (the usual case: no copy). */
  static byte[] strip(byte[] jpeg) {
    if (!hasIccSegment(jpeg)) {
      return jpeg;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(jpeg.length);
    out.write(jpeg, 0, 2);
    int p = 2;
    int segment;
    while ((segment = nextSegmentLength(jpeg, p)) > 0) {
      if (!isIcc(jpeg, p)) {
        out.write(jpeg, p, segment);
      }
      p += segment;
    }
    out.write(jpeg, p, jpeg.length - p); // from the first scan on: entropy-coded data, copied untouched
    return out.toByteArray();
  }

  static boolean hasIccSegment(byte[] jpeg) {
    int p = 2;
    int segment;
    while ((segment = nextSegmentLength(jpeg, p)) > 0) {
      if (isIcc(jpeg, p)) {
        return true;
      }
      p += segment;
    }
    return false;
  }

  /**
   * Length (marker included) of the header segment at {@code p}, or 0 at the start of scan, at anything that is not
   * a well-formed segment, or at the end of the data: the rest is then copied as it is.
   */
  private static int nextSegmentLength(byte[] b, int p) {
    if (p + 4 > b.length || (b[p] & 0xFF) != 0xFF) {
      return 0;
    }
    int marker = b[p + 1] & 0xFF;
    if (marker == 0xDA || marker == 0xD9 || marker == 0xFF || marker == 0x00 || (marker >= 0xD0 && marker <= 0xD8)) {
      return 0;
    }
    int length = (b[p + 2] & 0xFF) << 8 | (b[p + 3] & 0xFF);
    return length >= 2 && p + 2 + length <= b.length ? 2 + length : 0;
  }

  private static boolean isIcc(byte[] b, int p) {
    if ((b[p + 1] & 0xFF) != 0xE2 || p + 4 + ICC_TAG.length > b.length) {
      return false;
    }
    for (int i = 0; i < ICC_TAG.length; i++) {
      if (b[p + 4 + i] != ICC_TAG[i]) {
        return false;
      }
    }
    return true;
  }
}
