package dev.clipsearch.ingest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * What ingest learns from a file's bytes without decoding its pixels: the SHA-256 (content identity, so an unchanged
 * file is never decoded again and an identical upload is recognised) and the pixel size from the header.
 *
 * @param width 0 when the header could not be read (decoding will then fail and say why)
 */
public record Content(String sha256, int width, int height) {
  /** @throws IllegalArgumentException for an empty file (no decoder's error would say so as plainly) */
  public static Content of(byte[] bytes) {
    if (bytes.length == 0) {
      throw new IllegalArgumentException("empty file");
    }
    int[] size = dimensions(bytes);
    return new Content(sha256(bytes), size[0], size[1]);
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }

  /** Width and height from the image header only (ImageIO readers parse headers lazily), or {0, 0}. */
  private static int[] dimensions(byte[] bytes) {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        return new int[2];
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        return new int[] {reader.getWidth(0), reader.getHeight(0)};
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      return new int[2]; // a truncated or odd header: the decoder gives the real reason
    }
  }
}
