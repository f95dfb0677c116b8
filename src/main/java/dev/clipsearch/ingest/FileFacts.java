package dev.clipsearch.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/** A file's size and modification time: what ingest compares first, because it costs a stat, not a read. */
public record FileFacts(Path path, long sizeBytes, long mtimeMs) {
  public static FileFacts stat(Path path) {
    try {
      BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
      return new FileFacts(path, a.size(), a.lastModifiedTime().toMillis());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stat: " + e.getMessage(), e);
    }
  }
}
