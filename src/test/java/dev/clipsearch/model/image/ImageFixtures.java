package dev.clipsearch.model.image;

import dev.clipsearch.model.ModelSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** The parity fixtures written by models/make_image_fixtures.py (see manifest.tsv there). */
final class ImageFixtures {
  static final Path ROOT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
  static final Path DIR = ROOT.resolve("src/test/resources/fixtures/images");

  /** One manifest line: a source image (fixture or ../shared photo), the image size, and what the reference gave. */
  record Case(String id, Path source, int size, String pillowMode, String expectedFile) {
    @Override
    public String toString() {
      return id + " (" + pillowMode + ")";
    }

    byte[] sourceBytes() {
      return read(source);
    }

    ModelSpec spec() {
      return new ModelSpec("parity", 512, size, null, null, null, null, null, 77, null, null, true);
    }

    /** Expected 8-bit RGB crop, size * size * 3 bytes. */
    byte[] expectedRgb() {
      try (InputStream in = new GZIPInputStream(Files.newInputStream(DIR.resolve(expectedFile)))) {
        return in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Expected normalised CHW tensor. */
    float[] expectedTensor() {
      ByteBuffer buf = ByteBuffer.wrap(read(DIR.resolve(expectedFile))).order(ByteOrder.LITTLE_ENDIAN);
      float[] out = new float[buf.remaining() / 4];
      buf.asFloatBuffer().get(out);
      return out;
    }
  }

  static List<Case> cases() {
    return lines().stream()
        .filter(l -> !l.isBlank() && !l.startsWith("#"))
        .map(l -> l.split("\t"))
        .map(f -> new Case(f[0], ROOT.resolve(f[1]).normalize(), Integer.parseInt(f[2]), f[3], f[5]))
        .toList();
  }

  /** The native preprocessor with the default limits; callers have checked that the library loads. */
  static NativeImagePreprocessor nativePreprocessor(ModelSpec spec, ImagePreprocessor.NativeMode mode) {
    return new NativeImagePreprocessor(
        spec, mode, ImageDecoder.DEFAULT_MAX_PIXELS, ImagePreprocessor.DEFAULT_MAX_BYTES);
  }

  static byte[] fixture(String name) {
    return read(DIR.resolve(name));
  }

  private static List<String> lines() {
    try {
      return Files.readAllLines(DIR.resolve("manifest.tsv"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] read(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private ImageFixtures() {}
}
