package dev.clipsearch.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/** Finds the images under a folder: recursive, by extension, in a stable order, as absolute real paths. */
public final class ImageFiles {
  public static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "webp", "gif", "bmp");

  private ImageFiles() {}

  public static boolean isImageName(String name) {
    int dot = name.lastIndexOf('.');
    return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  /** @throws IllegalArgumentException when dir is not a readable directory */
  public static List<Path> under(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("not a directory: " + dir);
    }
    try (Stream<Path> walk = Files.walk(dir.toRealPath(), FileVisitOption.FOLLOW_LINKS)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> isImageName(p.getFileName().toString()))
          .map(p -> p.toAbsolutePath().normalize())
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }
}
