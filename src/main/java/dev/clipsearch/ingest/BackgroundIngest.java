package dev.clipsearch.ingest;

import dev.clipsearch.concurrent.Threads;
import dev.clipsearch.embedding.BulkEmbedder;
import dev.clipsearch.ingest.IngestProgress.State;
import dev.clipsearch.store.VectorStore;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder ingest that runs while the server serves ({@code serve --images DIR}): the port opens at once, searches
 * answer from what is stored so far, and {@link #progress()} says how far it is (/readyz, the web page).
 *
 * <p>Threads: one, {@code ingest-background}, runs {@link FolderIngest} (which has its own decode threads and submits
 * to the image batcher like any caller, so searches are not starved); {@link #progress()} may be read from any
 * thread. {@link #close()} asks the run to stop, and waits until its pending chunk is written, so the store and the
 * model must close after it (the composition root registers it before them).
 */
public final class BackgroundIngest implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BackgroundIngest.class);
  /** How long {@link #close} waits for the pending chunk to be written. */
  private static final long STOP_WAIT_SECONDS = 60;
  /** Progress lines in the log, at most one per this many seconds. */
  private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final FolderIngest ingest;
  private final Path folder;
  private final AtomicReference<IngestProgress> progress;
  private volatile Thread thread;
  private long lastLogNanos = System.nanoTime();

  public BackgroundIngest(BulkEmbedder embedder, VectorStore store, Path folder) {
    this.folder = folder;
    this.progress = new AtomicReference<>(new IngestProgress(State.SCANNING, folder.toString(), 0, 0, 0, 0, ""));
    this.ingest = new FolderIngest(embedder, store, this::update);
  }

  /** Starts the ingest on its own thread; returns at once. */
  public synchronized void start() {
    if (thread == null) {
      thread = Threads.start("ingest-background", this::run);
    }
  }

  /** Where it stands now. */
  public IngestProgress progress() {
    return progress.get();
  }

  private void run() {
    long start = System.nanoTime();
    LOG.info("ingesting {} in the background; searches answer from what is stored so far", folder);
    try {
      IngestReport r = ingest.run(folder);
      IngestProgress last = progress.get();
      State end = r.interrupted() ? State.STOPPED : State.DONE;
      progress.set(new IngestProgress(end, folder.toString(), last.done(), last.total(), r.failed().size(),
          seconds(start), ""));
      LOG.info("ingest of {} {}: {} inserted, {} updated, {} unchanged, {} failed in {} s", folder,
          end == State.DONE ? "done" : "stopped", r.inserted(), r.updated(), r.skipped(), r.failed().size(),
          Math.round(r.seconds()));
      r.failed().stream().limit(20).forEach(f -> LOG.warn("not ingested: {}: {}", f.path(), f.reason()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      finish(State.STOPPED, start, "");
    } catch (RuntimeException e) {
      LOG.error("ingest of {} failed: {}", folder, e.toString());
      finish(State.FAILED, start, e.getMessage() == null ? e.toString() : e.getMessage());
    }
  }

  private void finish(State state, long start, String error) {
    IngestProgress last = progress.get();
    progress.set(new IngestProgress(state, folder.toString(), last.done(), last.total(), last.failed(), seconds(start),
        error));
  }

  /** FolderIngest's progress callback (its thread only). */
  private void update(int done, int total, int failed, double seconds) {
    IngestProgress p = new IngestProgress(State.RUNNING, folder.toString(), done, total, failed, seconds, "");
    progress.set(p);
    long now = System.nanoTime();
    if (now - lastLogNanos >= LOG_EVERY_NANOS && done < total) {
      lastLogNanos = now;
      LOG.info("ingest {}/{} images, {} img/s, about {} s left, {} failed", done, total,
          Math.round(p.imagesPerSecond() * 10) / 10.0, p.etaSeconds(), failed);
    }
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  @Override
  public void close() {
    ingest.stop();
    Thread t = thread;
    if (t == null) {
      return;
    }
    try {
      t.join(TimeUnit.SECONDS.toMillis(STOP_WAIT_SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (t.isAlive()) {
      LOG.warn("the background ingest of {} did not stop within {} s", folder, STOP_WAIT_SECONDS);
    }
  }
}
