package dev.clipsearch.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A folder of cache files bounded by their total size: the least recently used go first. The index lives in memory
 * (seeded at start from the files' modification times, oldest first) and every hit moves a file to the back, so
 * eviction needs no directory listing. Files are deleted outside the lock; a reader that loses a race with eviction
 * sees a missing file and rebuilds it (or serves the original), as on a first request.
 *
 * <p>Threading: all methods may be called from any thread; the index is guarded by this object's monitor.
 */
final class DiskLru {
  private final long maxBytes;
  private final LinkedHashMap<Path, Long> sizes = new LinkedHashMap<>(64, 0.75f, true); // access order
  private long bytes;
  private long evicted;

  DiskLru(Path dir, long maxBytes) throws IOException {
    this.maxBytes = maxBytes;
    for (Map.Entry<Path, BasicFileAttributes> e : filesOldestFirst(dir)) {
      sizes.put(e.getKey(), e.getValue().size());
      bytes += e.getValue().size();
    }
    deleteAll(trim());
  }

  /** The regular files under {@code dir} (none if it does not exist), least recently modified first. */
  static List<Map.Entry<Path, BasicFileAttributes>> filesOldestFirst(Path dir) throws IOException {
    List<Map.Entry<Path, BasicFileAttributes>> found = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return found;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.toList()) {
        BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
        if (a.isRegularFile()) {
          found.add(Map.entry(f, a));
        }
      }
    }
    found.sort(Comparator.comparing(e -> e.getValue().lastModifiedTime()));
    return found;
  }

  /** A hit: {@code f} becomes the most recently used. */
  synchronized void touch(Path f) {
    sizes.get(f);
  }

  /** A new file of {@code size} bytes; older ones are deleted until the total fits again. */
  void added(Path f, long size) {
    List<Path> victims;
    synchronized (this) {
      Long old = sizes.put(f, size);
      bytes += size - (old == null ? 0 : old);
      victims = trim();
    }
    deleteAll(victims);
  }

  synchronized long bytes() {
    return bytes;
  }

  synchronized int files() {
    return sizes.size();
  }

  /** Files deleted to stay within the bound, since start. */
  synchronized long evicted() {
    return evicted;
  }

  /** Under the lock: takes the oldest entries out of the index until the rest fit; the caller deletes them. */
  private List<Path> trim() {
    List<Path> victims = new ArrayList<>();
    Iterator<Map.Entry<Path, Long>> it = sizes.entrySet().iterator();
    while (bytes > maxBytes && it.hasNext()) {
      Map.Entry<Path, Long> e = it.next();
      bytes -= e.getValue();
      victims.add(e.getKey());
      it.remove();
      evicted++;
    }
    return victims;
  }

  private static void deleteAll(List<Path> victims) {
    for (Path f : victims) {
      try {
        Files.deleteIfExists(f);
      } catch (IOException e) {
        // already gone, or unwritable: it no longer counts, and a later start re-indexes what is left
      }
    }
  }
}
