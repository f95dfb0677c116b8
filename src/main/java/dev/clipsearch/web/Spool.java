package dev.clipsearch.web;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A request body as it arrives: in memory up to {@link #IN_MEMORY_BYTES} (every JSON call), then in a temporary file
 * (uploads), so a thousand half-sent uploads cost disk rather than heap. Owned by one request; {@link #delete} when it
 * is done. Writes come from Jetty's read callbacks, one at a time; reads start once the body is whole.
 */
final class Spool implements AutoCloseable {
  static final int IN_MEMORY_BYTES = 64 * 1024;
  private final Path dir;
  private ByteArrayOutputStream memory = new ByteArrayOutputStream();
  private Path file;
  private OutputStream out;
  private long size;

  Spool(Path dir) {
    this.dir = dir;
  }

  synchronized void write(byte[] b, int off, int len) throws IOException {
    if (file == null && size + len > IN_MEMORY_BYTES) {
      Files.createDirectories(dir);
      file = Files.createTempFile(dir, "body", ".part");
      out = Files.newOutputStream(file);
      memory.writeTo(out);
      memory = null;
    }
    (file == null ? memory : out).write(b, off, len);
    size += len;
  }

  synchronized long size() {
    return size;
  }

  /** The whole body; call after the last write. */
  synchronized InputStream open() throws IOException {
    if (file == null) {
      return new ByteArrayInputStream(memory.toByteArray());
    }
    out.flush();
    return Files.newInputStream(file);
  }

  synchronized void delete() {
    try {
      if (out != null) {
        out.close();
      }
      if (file != null) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      // a temp file left behind is removed with the temp dir; nothing else to do here
    }
    memory = null;
  }

  @Override
  public void close() {
    delete();
  }
}
