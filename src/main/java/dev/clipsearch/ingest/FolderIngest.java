package dev.clipsearch.ingest;

import dev.clipsearch.embedding.BulkEmbedder;
import dev.clipsearch.store.ImageRecord;
import dev.clipsearch.store.VectorStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Ingests a folder: skips what is stored already (so an interrupted run resumes where it stopped), embeds the rest
 * with {@link BulkEmbedder}, and inserts in chunks as results arrive (a crash loses at most one chunk of work).
 */
public final class FolderIngest {
  private static final int CHUNK = 256;

  private final BulkEmbedder embedder;
  private final VectorStore store;
  private final Progress progress;

  /** Receives progress after each image; called from the ingest thread only. */
  public interface Progress {
    void update(int done, int total, int failed, double seconds);
  }

  public FolderIngest(BulkEmbedder embedder, VectorStore store, Progress progress) {
    this.embedder = embedder;
    this.store = store;
    this.progress = progress;
  }

  public IngestReport run(Path dir) throws InterruptedException {
    long start = System.nanoTime();
    List<Path> all = ImageFiles.under(dir);
    List<Path> todo = new ArrayList<>();
    for (int i = 0; i < all.size(); i += CHUNK) {
      List<Path> chunk = all.subList(i, Math.min(all.size(), i + CHUNK));
      Set<String> stored = store.existingPaths(chunk.stream().map(Path::toString).toList());
      chunk.stream().filter(p -> !stored.contains(p.toString())).forEach(todo::add);
    }
    List<IngestReport.Failure> failures = new ArrayList<>();
    List<ImageRecord> pending = new ArrayList<>(CHUNK);
    int[] counts = new int[2]; // done, inserted
    embedder.embed(todo, result -> {
      if (result.ok()) {
        pending.add(new ImageRecord(result.path().toString(), result.vector()));
      } else {
        failures.add(new IngestReport.Failure(result.path().toString(), result.error()));
      }
      if (pending.size() >= CHUNK) {
        counts[1] += store.insert(pending);
        pending.clear();
      }
      progress.update(++counts[0], todo.size(), failures.size(), (System.nanoTime() - start) / 1e9);
    });
    if (!pending.isEmpty()) {
      counts[1] += store.insert(pending);
    }
    return new IngestReport(counts[1], all.size() - todo.size(), failures, (System.nanoTime() - start) / 1e9);
  }
}
