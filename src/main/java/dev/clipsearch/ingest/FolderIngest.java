package dev.clipsearch.ingest;

import dev.clipsearch.embedding.ClipEncoder;
import dev.clipsearch.store.ImageRecord;
import dev.clipsearch.store.VectorStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;

/**
 * Ingests a folder: skip what is stored already, decode + preprocess on {@code decodeThreads} threads, encode
 * through the shared image batcher, insert in chunks. A semaphore caps images in flight so memory stays bounded and
 * interactive queries sharing the batcher still get their turn.
 */
public final class FolderIngest {
  private static final int INSERT_CHUNK = 256;
  private static final long MAX_FILE_BYTES = 64L << 20;

  private final ClipEncoder encoder;
  private final VectorStore store;
  private final int decodeThreads;
  private final Progress progress;

  /** Receives progress after each image; called from the ingest thread only. */
  public interface Progress {
    void update(int done, int total, int failed, double seconds);
  }

  public FolderIngest(ClipEncoder encoder, VectorStore store, int decodeThreads, Progress progress) {
    this.encoder = encoder;
    this.store = store;
    this.decodeThreads = Math.max(1, decodeThreads);
    this.progress = progress;
  }

  private record Outcome(Path path, float[] vector, String error) {}

  public IngestReport run(Path dir) throws InterruptedException {
    long start = System.nanoTime();
    List<Path> all = ImageFiles.under(dir);
    List<Path> todo = new ArrayList<>();
    int skipped = 0;
    for (int i = 0; i < all.size(); i += INSERT_CHUNK) {
      List<Path> chunk = all.subList(i, Math.min(all.size(), i + INSERT_CHUNK));
      Set<String> stored = store.existingPaths(chunk.stream().map(Path::toString).toList());
      for (Path p : chunk) {
        if (stored.contains(p.toString())) {
          skipped++;
        } else {
          todo.add(p);
        }
      }
    }
    List<IngestReport.Failure> failures = new ArrayList<>();
    int inserted = encodeAndStore(todo, failures, start);
    return new IngestReport(inserted, skipped, failures, (System.nanoTime() - start) / 1e9);
  }

  private int encodeAndStore(List<Path> todo, List<IngestReport.Failure> failures, long start)
      throws InterruptedException {
    LinkedBlockingQueue<Outcome> done = new LinkedBlockingQueue<>();
    Semaphore inFlight = new Semaphore(Math.max(8, encoder.imageBatcher().policy().maxBatch() * 2));
    ExecutorService decoders = Executors.newFixedThreadPool(decodeThreads, r -> {
      Thread t = new Thread(r, "ingest-decode");
      t.setDaemon(true);
      return t;
    });
    int inserted = 0;
    try {
      Thread feeder = new Thread(() -> feed(todo, decoders, inFlight, done), "ingest-feed");
      feeder.setDaemon(true);
      feeder.start();
      List<ImageRecord> pending = new ArrayList<>(INSERT_CHUNK);
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < todo.size(); i++) {
        Outcome o = done.take();
        inFlight.release();
        if (o.error() != null) {
          failures.add(new IngestReport.Failure(o.path().toString(), o.error()));
        } else if (seen.add(o.path().toString())) {
          pending.add(new ImageRecord(o.path().toString(), o.vector()));
        }
        if (pending.size() >= INSERT_CHUNK) {
          inserted += store.insert(pending);
          pending.clear();
        }
        progress.update(i + 1, todo.size(), failures.size(), (System.nanoTime() - start) / 1e9);
      }
      if (!pending.isEmpty()) {
        inserted += store.insert(pending);
      }
      feeder.join();
    } finally {
      decoders.shutdownNow();
    }
    return inserted;
  }

  private void feed(List<Path> todo, ExecutorService decoders, Semaphore inFlight, LinkedBlockingQueue<Outcome> done) {
    for (Path path : todo) {
      try {
        inFlight.acquire();
      } catch (InterruptedException e) {
        return;
      }
      CompletableFuture.supplyAsync(() -> encoder.preprocess(read(path)), decoders)
          .thenCompose(encoder::submitPixels)
          .whenComplete((vector, error) -> done.add(error == null
              ? new Outcome(path, vector, null)
              : new Outcome(path, null, reason(error))));
    }
  }

  private static byte[] read(Path path) {
    try {
      long size = Files.size(path);
      if (size > MAX_FILE_BYTES) {
        throw new IllegalArgumentException("file is " + (size >> 20) + " MiB, over the " + (MAX_FILE_BYTES >> 20) + " MiB limit");
      }
      return Files.readAllBytes(path);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read: " + e.getMessage(), e);
    }
  }

  private static String reason(Throwable error) {
    Throwable e = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
        ? error.getCause() : error;
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }
}
