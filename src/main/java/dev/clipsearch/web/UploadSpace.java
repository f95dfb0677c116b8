package dev.clipsearch.web;

import dev.clipsearch.concurrent.Threads;
import dev.clipsearch.gradio.GradioException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The uploads folder's budget. Every upload lands in {@code <uuid>/<name>}. Most are only queries (search by image):
 * those are needed for their search and a little after (Gradio's page sends the same path again to repeat a search),
 * so once searched they join a small most-recent cache ({@code queryCacheBytes}) and the older ones are deleted. Only
 * an upload the index stores (ingested) persists: it leaves this budget altogether and is never deleted here.
 *
 * <p>Everything else is transient and shares the quota: when an upload would not fit, the least recently used
 * uploads that nothing holds (no search reading it, no ingest running on it) are deleted first, so the space never
 * fills up for good; only a single upload larger than the whole quota is a 413. Uploads older than the TTL that the
 * index does not hold are swept as before (Gradio's delete_cache does the same for its temp files).
 *
 * <p>Files found at start may be stored images from an earlier run; they are not deleted until the store says they
 * are not (a background pass right after start, and the sweep). When the store cannot say, nothing is deleted.
 *
 * <p>Threading: any thread; the index is guarded by this object's monitor; files are deleted outside it, and the
 * store is asked outside it.
 */
final class UploadSpace implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(UploadSpace.class);

  /** What is known of an upload. */
  private enum State {
    /** found at start: may be an ingested image, so not deleted until the store says otherwise */
    UNKNOWN,
    /** uploaded, not yet used */
    NEW,
    /** searched with: in the query cache */
    SEARCHED,
    /** an ingest is running on it */
    INGESTING
  }

  private static final class Entry {
    final long size;
    State state;
    int holds;
    long lastUsedMillis;

    Entry(long size, State state, long lastUsedMillis) {
      this.size = size;
      this.state = state;
      this.lastUsedMillis = lastUsedMillis;
    }

    boolean evictable() {
      return holds == 0 && (state == State.NEW || state == State.SEARCHED);
    }
  }

  private final Path dir;
  private final long quotaBytes;
  private final long queryCacheBytes;
  private final Duration ttl;
  private final Predicate<String> stored;
  private final LinkedHashMap<Path, Entry> entries = new LinkedHashMap<>(256, 0.75f, true); // least recent first
  private long usedBytes;
  private long reservedBytes;
  private long searchedBytes;
  private int searchedFiles;
  private long evicted;
  private final ScheduledExecutorService sweeper;

  /**
   * @param stored whether the index holds this path (SearchService::isServable); may throw when the store is down
   * @param every how often to sweep; zero for never (tests call {@link #sweep} and {@link #classify} themselves)
   */
  UploadSpace(Path dir, long quotaBytes, long queryCacheBytes, Duration ttl, Duration every, Predicate<String> stored)
      throws IOException {
    this.dir = dir;
    this.quotaBytes = quotaBytes;
    this.queryCacheBytes = queryCacheBytes;
    this.ttl = ttl;
    this.stored = stored;
    for (Map.Entry<Path, BasicFileAttributes> e : DiskLru.filesOldestFirst(dir)) {
      entries.put(key(e.getKey()), new Entry(e.getValue().size(), State.UNKNOWN,
          e.getValue().lastModifiedTime().toMillis()));
      usedBytes += e.getValue().size();
    }
    if (every.isZero()) {
      sweeper = null;
    } else {
      sweeper = Executors.newSingleThreadScheduledExecutor(Threads.named("upload-sweeper"));
      sweeper.schedule(this::classifyQuietly, 0, TimeUnit.MILLISECONDS);
      sweeper.scheduleWithFixedDelay(this::sweepQuietly, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Bytes of the uploads this budget holds (everything but ingested uploads). */
  synchronized long usedBytes() {
    return usedBytes;
  }

  synchronized int files() {
    return entries.size();
  }

  synchronized long queryCacheBytes() {
    return searchedBytes;
  }

  synchronized int queryCacheFiles() {
    return searchedFiles;
  }

  /** Uploads deleted to make room or to keep the query cache in its bound, since start. */
  synchronized long evicted() {
    return evicted;
  }

  /**
   * Takes {@code bytes} of the quota for an upload about to be written, deleting the least recently used uploads
   * nothing holds until it fits. 413 only when the upload alone is larger than the quota; 503 when everything in the
   * space is in use right now.
   */
  void reserve(long bytes) {
    if (bytes > quotaBytes) {
      throw new GradioException(GradioException.Kind.TOO_LARGE, "File too large for the upload space (quota "
          + human(quotaBytes) + ").");
    }
    for (int attempt = 0; ; attempt++) {
      List<Path> victims = new ArrayList<>();
      boolean fits;
      synchronized (this) {
        Iterator<Map.Entry<Path, Entry>> it = entries.entrySet().iterator();
        while (usedBytes + reservedBytes + bytes > quotaBytes && it.hasNext()) {
          Map.Entry<Path, Entry> e = it.next();
          if (e.getValue().evictable()) {
            forget(e.getValue());
            it.remove();
            victims.add(e.getKey());
            evicted++;
          }
        }
        fits = usedBytes + reservedBytes + bytes <= quotaBytes;
        if (fits) {
          reservedBytes += bytes;
        }
      }
      deleteAll(victims);
      if (fits) {
        return;
      }
      if (attempt > 0 || classifyOrNone() == 0) {
        throw new GradioException(GradioException.Kind.QUEUE_FULL, "The upload space is in use; try again shortly.");
      }
    }
  }

  /** The upload {@link #reserve reserved} for is written at {@code f}. */
  synchronized void added(Path f, long bytes) {
    reservedBytes -= bytes;
    usedBytes += bytes;
    entries.put(key(f), new Entry(bytes, State.NEW, System.currentTimeMillis()));
  }

  /** Gives back what {@link #reserve} took when the write failed. */
  synchronized void release(long bytes) {
    reservedBytes -= bytes;
  }

  /** A download of {@code f} (the page shows the image it searches with): it becomes the most recently used. */
  synchronized void touch(Path f) {
    Entry e = entries.get(key(f));
    if (e != null) {
      e.lastUsedMillis = System.currentTimeMillis();
    }
  }

  /**
   * Reads an image to search with. An upload is held while it is read, then kept in the query cache, whose oldest
   * entries are deleted past its bound. A path this budget does not track (a stored image) is just read.
   */
  byte[] readForSearch(Path f) throws IOException {
    Path k = key(f);
    synchronized (this) {
      Entry e = entries.get(k);
      if (e != null) {
        e.holds++;
      }
    }
    try {
      return Files.readAllBytes(f);
    } finally {
      List<Path> victims = new ArrayList<>();
      synchronized (this) {
        Entry e = entries.get(k);
        if (e != null) {
          e.holds--;
          e.lastUsedMillis = System.currentTimeMillis();
          if (e.state == State.NEW) {
            e.state = State.SEARCHED;
            searchedBytes += e.size;
            searchedFiles++;
          }
          trimQueryCache(victims);
        }
      }
      deleteAll(victims);
    }
  }

  /** An ingest is about to read {@code f}: nothing deletes it until {@link #ingested}. */
  synchronized void ingesting(Path f) {
    Entry e = entries.get(key(f));
    if (e != null) {
      if (e.state == State.SEARCHED) {
        searchedBytes -= e.size;
        searchedFiles--;
      }
      e.state = State.INGESTING;
      e.holds++;
    }
  }

  /**
   * The ingest on {@code f} is over. If the index now holds it, it is a stored image and leaves this budget;
   * otherwise (a failed ingest, or content already stored elsewhere) it is an ordinary transient upload again. When
   * the store cannot say, it is treated as possibly stored.
   */
  void ingested(Path f) {
    boolean kept;
    try {
      kept = stored.test(key(f).toString());
    } catch (RuntimeException storeDown) {
      kept = true;
    }
    synchronized (this) {
      Entry e = entries.get(key(f));
      if (e == null || e.state != State.INGESTING) {
        return;
      }
      e.holds--;
      if (kept) {
        forget(e);
        entries.remove(key(f));
      } else {
        e.state = State.NEW;
      }
    }
  }

  /** Deletes the uploads older than the TTL that the index does not hold; returns how many. */
  int sweep() {
    long cutoff = System.currentTimeMillis() - ttl.toMillis();
    classify();
    List<Path> victims = new ArrayList<>();
    synchronized (this) {
      Iterator<Map.Entry<Path, Entry>> it = entries.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<Path, Entry> e = it.next();
        if (e.getValue().evictable() && e.getValue().lastUsedMillis < cutoff) {
          forget(e.getValue());
          it.remove();
          victims.add(e.getKey());
        }
      }
    }
    deleteAll(victims);
    return victims.size();
  }

  /**
   * Asks the store about the uploads found at start: stored ones leave the budget, the others become ordinary
   * transient uploads. Returns how many became deletable. Throws when the store cannot answer.
   */
  int classify() {
    List<Path> unknown = new ArrayList<>();
    synchronized (this) {
      entries.forEach((p, e) -> {
        if (e.state == State.UNKNOWN) {
          unknown.add(p);
        }
      });
    }
    int deletable = 0;
    for (Path p : unknown) {
      boolean kept = stored.test(p.toString());
      synchronized (this) {
        Entry e = entries.get(p);
        if (e == null || e.state != State.UNKNOWN) {
          continue;
        }
        if (kept) {
          forget(e);
          entries.remove(p);
        } else {
          e.state = State.NEW;
          deletable++;
        }
      }
    }
    return deletable;
  }

  /** {@link #classify}, or 0 when the store cannot answer (then nothing found at start may be deleted). */
  private int classifyOrNone() {
    try {
      return classify();
    } catch (RuntimeException storeDown) {
      return 0;
    }
  }

  /** Under the lock: deletes the oldest searched uploads past the query cache's bound. */
  private void trimQueryCache(List<Path> victims) {
    Iterator<Map.Entry<Path, Entry>> it = entries.entrySet().iterator();
    while (searchedBytes > queryCacheBytes && it.hasNext()) {
      Map.Entry<Path, Entry> e = it.next();
      if (e.getValue().state == State.SEARCHED && e.getValue().holds == 0) {
        forget(e.getValue());
        it.remove();
        victims.add(e.getKey());
        evicted++;
      }
    }
  }

  /** Under the lock: takes an entry out of the counts (the caller removes it from the index). */
  private void forget(Entry e) {
    usedBytes -= e.size;
    if (e.state == State.SEARCHED) {
      searchedBytes -= e.size;
      searchedFiles--;
    }
  }

  private static Path key(Path f) {
    return f.toAbsolutePath().normalize();
  }

  private static void deleteAll(List<Path> victims) {
    for (Path f : victims) {
      try {
        Files.deleteIfExists(f);
        Files.deleteIfExists(f.getParent()); // the <uuid> folder, once empty
      } catch (java.nio.file.DirectoryNotEmptyException keep) {
        // another file shares the folder
      } catch (IOException e) {
        LOG.warn("cannot delete upload {}: {}", f, e.toString());
      }
    }
  }

  private void classifyQuietly() {
    try {
      classify();
    } catch (RuntimeException e) {
      LOG.warn("uploads found at start not checked against the index yet: {}", e.toString());
    }
  }

  private void sweepQuietly() {
    try {
      int n = sweep();
      if (n > 0) {
        LOG.info("upload sweep: deleted {} uploads older than {} h that were not ingested ({} MB in use)", n,
            ttl.toHours(), usedBytes() >> 20);
      }
    } catch (RuntimeException e) {
      LOG.warn("upload sweep skipped: {}", e.toString()); // e.g. the store is down: delete nothing
    }
  }

  private static String human(long bytes) {
    return bytes >= 1 << 20 ? (bytes >> 20) + " MB" : (bytes >> 10) + " KB";
  }

  @Override
  public void close() {
    if (sweeper != null) {
      sweeper.shutdownNow();
    }
  }
}
