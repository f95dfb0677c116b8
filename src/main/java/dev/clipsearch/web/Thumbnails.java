package dev.clipsearch.web;

import dev.clipsearch.model.image.ImageDecoder;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * Small JPEG versions of stored images for the gallery, made on first request and cached on disk. A page of 10
 * results then costs ~10 × 15 KB instead of 10 full photos; the full file is fetched only when one is enlarged.
 *
 * <p>The cache key hashes the source path, its size and modification time and the thumbnail size, so a changed
 * file gets a new thumbnail and nothing needs invalidating; stale entries are merely unused, and the least recently
 * served go once the folder passes its size bound ({@link DiskLru}). Sizes are snapped to
 * {@link #SIZES} so a client cannot fill the disk with one variant per pixel. Decoding runs on the request thread but
 * at most {@link #PARALLEL} at a time (memory and CPU are bounded; cache hits skip the gate). Thread-safe.
 */
final class Thumbnails {
  static final int[] SIZES = {128, 256, 512};
  private static final int PARALLEL = 2;
  private static final float QUALITY = 0.8f;
  private final Path dir;
  private final Semaphore gate = new Semaphore(PARALLEL);
  private final DiskLru lru;

  /** @param maxBytes the folder's bound; thumbnails already there count from the start */
  Thumbnails(Path dir, long maxBytes) throws IOException {
    this.dir = dir;
    this.lru = new DiskLru(dir, maxBytes);
  }

  DiskLru cache() {
    return lru;
  }

  /** The smallest allowed size at least {@code requested} (the largest one for anything bigger). */
  static int snap(int requested) {
    for (int s : SIZES) {
      if (requested <= s) {
        return s;
      }
    }
    return SIZES[SIZES.length - 1];
  }

  /**
   * The cached thumbnail of {@code source} at most {@code size} px on its longer side, or empty when the original
   * should be served instead: it is already that small, or ImageIO cannot read it (the caller then sends the file).
   */
  Optional<Path> get(Path source, int size) throws IOException, InterruptedException {
    Path target = dir.resolve(key(source, size) + ".jpg");
    if (Files.isRegularFile(target)) {
      lru.touch(target);
      return Optional.of(target);
    }
    gate.acquire();
    try {
      if (Files.isRegularFile(target)) { // made by another request while we waited
        return Optional.of(target);
      }
      BufferedImage img = decode(source, size);
      if (img == null) {
        return Optional.empty();
      }
      Files.createDirectories(dir);
      // Written aside and moved into place, so a concurrent reader never sees a half-written file.
      Path tmp = Files.createTempFile(dir, "thumb", ".part");
      try {
        writeJpeg(scale(img, size), tmp);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        lru.added(target, Files.size(target));
      } finally {
        Files.deleteIfExists(tmp);
      }
      return Optional.of(target);
    } finally {
      gate.release();
    }
  }

  /**
   * Decodes with source subsampling (reads every n-th pixel), so a 24 MP photo becomes ~2× the target size without
   * ever being held at full resolution. Null when no reader fits, the image is already small, or it is over
   * Pillow's pixel limit (the ingest side refuses those too).
   */
  private static BufferedImage decode(Path source, int size) throws IOException {
    try (ImageInputStream in = ImageIO.createImageInputStream(source.toFile())) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        return null;
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        int w = reader.getWidth(0);
        int h = reader.getHeight(0);
        if (Math.max(w, h) <= size || (long) w * h > ImageDecoder.DEFAULT_MAX_PIXELS) {
          return null;
        }
        ImageReadParam param = reader.getDefaultReadParam();
        int step = Math.max(1, Math.max(w, h) / (2 * size));
        param.setSourceSubsampling(step, step, 0, 0);
        return reader.read(0, param);
      } catch (IOException | RuntimeException e) {
        return null; // corrupt, CMYK without a plugin, ...: the original is still servable
      } finally {
        reader.dispose();
      }
    }
  }

  /** Bilinear steps of at most 2× (one-shot bilinear from far above aliases), painted on white for transparency. */
  private static BufferedImage scale(BufferedImage src, int size) {
    double f = (double) size / Math.max(src.getWidth(), src.getHeight());
    int tw = Math.max(1, (int) Math.round(src.getWidth() * f));
    int th = Math.max(1, (int) Math.round(src.getHeight() * f));
    BufferedImage cur = src;
    do {
      int w = Math.max(tw, cur.getWidth() / 2);
      int h = Math.max(th, cur.getHeight() / 2);
      BufferedImage next = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = next.createGraphics();
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, w, h);
      g.drawImage(cur, 0, 0, w, h, null);
      g.dispose();
      cur = next;
    } while (cur.getWidth() > tw || cur.getHeight() > th);
    return cur;
  }

  private static void writeJpeg(BufferedImage img, Path target) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(target.toFile())) {
      ImageWriteParam p = writer.getDefaultWriteParam();
      p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      p.setCompressionQuality(QUALITY);
      writer.setOutput(out);
      writer.write(null, new IIOImage(img, null, null), p);
    } finally {
      writer.dispose();
    }
  }

  private static String key(Path source, int size) throws IOException {
    String id = source.toAbsolutePath() + "\0" + Files.size(source) + "\0" + Files.getLastModifiedTime(source).toMillis() + "\0" + size;
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
