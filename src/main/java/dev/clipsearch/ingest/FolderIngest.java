package dev.clipsearch.ingest;

import dev.clipsearch.embedding.BulkEmbedder;
import dev.clipsearch.store.StoredImage;
import dev.clipsearch.store.VectorStore;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ingests a folder incrementally: stats every file, asks the store what it holds, and then reads only files whose size
 * or mtime changed, decodes only files whose content hash changed, and writes in chunks as vectors arrive (see
 * {@link IngestPlan} for the rules and {@link ImageWriter} for the write order that keeps one row per path).
 *
 * <p>{@link #stop()} (from a shutdown hook) makes the run start no more files; files in flight finish, the pending
 * chunk is written, and {@link #run} returns a report marked interrupted. A crash loses at most the unwritten chunk,
 * which the next run redoes.
 */
public final class FolderIngest {
  private static final int CHUNK = 256;

  private final BulkEmbedder embedder;
  private final VectorStore store;
  private final Progress progress;
  private final AtomicBoolean stopping = new AtomicBoolean();

  /** Receives progress after each image; called from the ingest thread only. */
  public interface Progress {
    void update(int done, int total, int failed, double seconds);
  }

  public FolderIngest(BulkEmbedder embedder, VectorStore store, Progress progress) {
    this.embedder = embedder;
    this.store = store;
    this.progress = progress;
  }

  /** Asks a running {@link #run} to finish early, storing everything embedded so far. Thread-safe. */
  public void stop() {
    stopping.set(true);
  }

  public IngestReport run(Path dir) throws InterruptedException {
    return run(dir, IngestOptions.DEFAULT);
  }

  /**
   * Ingests {@code dir}. A collection that cannot take new rows ({@link VectorStore#requireWritable}) is refused
   * before the folder is listed, dry runs included: nothing is read, embedded or written.
   */
  public IngestReport run(Path dir, IngestOptions options) throws InterruptedException {
    store.requireWritable();
    long start = System.nanoTime();
    List<IngestReport.Failure> failures = new ArrayList<>();
    List<FileFacts> files = new ArrayList<>();
    for (Path p : ImageFiles.under(dir)) {
      try {
        files.add(FileFacts.stat(p));
      } catch (UncheckedIOException e) {
        failures.add(new IngestReport.Failure(p.toString(), e.getMessage())); // vanished or unreadable since listed
      }
    }
    List<StoredImage> stored = new ArrayList<>();
    for (int i = 0; i < files.size(); i += CHUNK) {
      stored.addAll(store.lookup(files.subList(i, Math.min(files.size(), i + CHUNK)).stream()
          .map(f -> f.path().toString()).toList()));
    }
    List<StoredImage> under = options.prune() ? store.under(realPath(dir)) : null;
    IngestPlan plan = IngestPlan.of(files, stored, under, options.maxFileBytes());
    failures.addAll(plan.tooLarge());
    if (options.dryRun()) {
      int newFiles = (int) plan.newFiles();
      return new IngestReport(newFiles, plan.work().size() - newFiles, plan.unchanged(), plan.gone().size(),
          plan.strays().size(), failures, seconds(start), true, false);
    }
    progress.update(0, plan.work().size(), failures.size(), seconds(start)); // the total is known from here on
    // Repairs and prunes first: they only delete, so a crash after them loses nothing a re-run would not redo.
    store.deleteIds(plan.strays());
    store.deleteIds(plan.gone().stream().map(StoredImage::id).toList());
    int[] counts = new int[4]; // done, inserted, updated, unchanged content
    List<ImageWriter.Pending> pending = new ArrayList<>(CHUNK);
    ImageWriter writer = new ImageWriter(store);
    Map<Path, IngestPlan.Work> workByPath = new HashMap<>();
    plan.work().forEach(w -> workByPath.put(w.file().path(), w));
    List<Long> sameContentStrays = new ArrayList<>();
    List<String> written = new ArrayList<>();
    embedder.embed(plan.work().stream().map(w -> w.file().path()).toList(), new ContentCheck(workByPath), r -> {
      IngestPlan.Work w = workByPath.get(r.path());
      if (!r.ok()) {
        failures.add(new IngestReport.Failure(r.path().toString(), r.error()));
      } else if (r.vector() == null) {
        counts[3]++; // touched but identical: keep the newest row, drop any older duplicates
        sameContentStrays.addAll(w.replaces().subList(1, w.replaces().size()));
      } else {
        pending.add(new ImageWriter.Pending(ImageWriter.record(w.file(), r.facts(), r.vector(), options.labels()),
            w.replaces()));
        written.add(r.path().toString());
        counts[w.isNew() ? 1 : 2]++;
      }
      if (pending.size() >= CHUNK) {
        writer.write(pending);
        pending.clear();
      }
      progress.update(++counts[0], plan.work().size(), failures.size(), seconds(start));
    }, stopping::get);
    writer.write(pending);
    store.deleteIds(sameContentStrays);
    int concurrent = writer.settle(written); // rows another instance stored for the same files meanwhile
    return new IngestReport(counts[1], counts[2], plan.unchanged() + counts[3], plan.gone().size(),
        plan.strays().size() + sameContentStrays.size() + concurrent, failures, seconds(start), false,
        counts[0] < plan.work().size());
  }

  private static String realPath(Path dir) {
    try {
      return dir.toRealPath().toString(); // the form ImageFiles lists paths in, so prefixes line up
    } catch (java.io.IOException e) {
      throw new UncheckedIOException("cannot resolve " + dir + ": " + e.getMessage(), e);
    }
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  /** Hashes each file as it is read; a file whose hash matches its stored row needs no decode. */
  private record ContentCheck(Map<Path, IngestPlan.Work> work) implements BulkEmbedder.Inspector<Content> {
    @Override
    public Content inspect(Path path, byte[] bytes) {
      return Content.of(bytes);
    }

    @Override
    public boolean needsVector(Path path, Content c) {
      String stored = work.get(path).storedSha256();
      return stored == null || !stored.equals(c.sha256());
    }
  }
}
