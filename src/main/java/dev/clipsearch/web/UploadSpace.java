package dev.clipsearch.web;

import dev.clipsearch.concurrent.Threads;
import dev.clipsearch.gradio.GradioException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The uploads folder's budget. Every upload lands in {@code <uuid>/<name>}; most are only queries (search by image)
 * or ingests that failed, and without a limit they would fill the disk of a server that runs for weeks. So: a quota
 * on the folder's total size (an upload that would pass it is refused, 413), and a sweep that deletes uploads older
 * than the TTL which the index does not hold (Gradio's delete_cache does the same for its temp files). An upload that
 * was ingested is a stored image and is never deleted; when the store cannot say (it is down), nothing is deleted.
 */
final class UploadSpace implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(UploadSpace.class);
  private final Path dir;
  private final long quotaBytes;
  private final Duration ttl;
  private final Predicate<String> stored;
  private final AtomicLong used = new AtomicLong();
  private final ScheduledExecutorService sweeper;

  /**
   * @param stored whether the index holds this path (SearchService::isServable); may throw when the store is down
   * @param every how often to sweep; zero for never (tests call {@link #sweep} themselves)
   */
  UploadSpace(Path dir, long quotaBytes, Duration ttl, Duration every, Predicate<String> stored) throws IOException {
    this.dir = dir;
    this.quotaBytes = quotaBytes;
    this.ttl = ttl;
    this.stored = stored;
    try (Stream<Path> files = Files.walk(dir)) {
      used.set(files.filter(Files::isRegularFile).mapToLong(UploadSpace::sizeOf).sum());
    }
    if (every.isZero()) {
      sweeper = null;
    } else {
      sweeper = Executors.newSingleThreadScheduledExecutor(Threads.named("upload-sweeper"));
      sweeper.scheduleWithFixedDelay(this::sweepQuietly, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  long usedBytes() {
    return used.get();
  }

  /** Takes {@code bytes} of the quota for an upload about to be written, or refuses it. */
  void reserve(long bytes) {
    long now = used.addAndGet(bytes);
    if (now > quotaBytes) {
      used.addAndGet(-bytes);
      throw new GradioException(GradioException.Kind.TOO_LARGE, "The upload space is full (quota " + human(quotaBytes)
          + "); uploads that were not ingested are cleared after " + ttl.toHours() + " h.");
    }
  }

  /** Gives back what {@link #reserve} took when the write failed. */
  void release(long bytes) {
    used.addAndGet(-bytes);
  }

  /** Deletes the uploads older than the TTL that the index does not hold; returns how many. */
  int sweep() throws IOException {
    Instant cutoff = Instant.now().minus(ttl);
    List<Path> old = new ArrayList<>();
    try (DirectoryStream<Path> ids = Files.newDirectoryStream(dir)) {
      for (Path id : ids) {
        if (!Files.isDirectory(id)) {
          continue;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(id)) {
          for (Path f : files) {
            BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
            if (a.isRegularFile() && a.lastModifiedTime().toInstant().isBefore(cutoff)) {
              old.add(f);
            }
          }
        }
      }
    }
    int deleted = 0;
    for (Path f : old) {
      if (stored.test(f.toAbsolutePath().normalize().toString())) {
        continue; // an ingested upload is a stored image
      }
      long size = sizeOf(f);
      if (Files.deleteIfExists(f)) {
        used.addAndGet(-size);
        deleted++;
        try {
          Files.deleteIfExists(f.getParent()); // the <uuid> folder, once empty
        } catch (java.nio.file.DirectoryNotEmptyException keep) {
          // another file shares the folder
        }
      }
    }
    return deleted;
  }

  private void sweepQuietly() {
    try {
      int n = sweep();
      if (n > 0) {
        LOG.info("upload sweep: deleted {} uploads older than {} h that were not ingested ({} MB in use)", n,
            ttl.toHours(), used.get() >> 20);
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("upload sweep skipped: {}", e.toString()); // e.g. the store is down: delete nothing
    }
  }

  private static String human(long bytes) {
    return bytes >= 1 << 20 ? (bytes >> 20) + " MB" : (bytes >> 10) + " KB";
  }

  private static long sizeOf(Path f) {
    try {
      return Files.size(f);
    } catch (IOException e) {
      return 0;
    }
  }

  @Override
  public void close() {
    if (sweeper != null) {
      sweeper.shutdownNow();
    }
  }
}
