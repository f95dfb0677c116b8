package dev.clipsearch.ingest;

import dev.clipsearch.store.ImageRecord;
import dev.clipsearch.store.StoredImage;
import dev.clipsearch.store.VectorStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes new rows and removes the rows they replace, in the one order that can never leave two rows for a path:
 * delete first, then insert. A crash between the two leaves the file absent from the store for a moment, and the next
 * ingest sees it as new and adds it back; the other order would leave a duplicate. Folder ingest and HTTP ingest
 * both write through here.
 */
final class ImageWriter {
  /** A row to store and the ids of the rows (same path, older content) it replaces. */
  record Pending(ImageRecord record, List<Long> replaces) {}

  private static final int SETTLE_CHUNK = 1000;
  private static final Comparator<StoredImage> KEEP_FIRST = Comparator.comparingLong(StoredImage::ingestedAt)
      .reversed().thenComparingLong(StoredImage::id);

  private final VectorStore store;

  ImageWriter(VectorStore store) {
    this.store = store;
  }

  /** Stores the batch; returns how many rows were inserted. */
  int write(List<Pending> batch) {
    if (batch.isEmpty()) {
      return 0;
    }
    List<Long> old = new ArrayList<>();
    List<ImageRecord> rows = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      old.addAll(p.replaces());
      rows.add(p.record());
    }
    store.deleteIds(old);
    return store.insert(rows);
  }

  /**
   * Leaves one row per path among {@code paths}, deleting the others; returns how many it deleted. Two instances
   * ingesting one folder at once (scale-out on one Milvus server) both find a file missing and both store it. Each
   * run calls this once its inserts are done, and every run keeps the same row (the newest {@code ingested_at}, then
   * the lowest id), so whichever run checks last, after every insert of both, leaves exactly one row per file; a run
   * that checks earlier never deletes that row, because it is the best of every subset that contains it.
   */
  int settle(List<String> paths) {
    Map<String, List<StoredImage>> byPath = new HashMap<>();
    for (int i = 0; i < paths.size(); i += SETTLE_CHUNK) {
      for (StoredImage s : store.lookup(paths.subList(i, Math.min(paths.size(), i + SETTLE_CHUNK)))) {
        byPath.computeIfAbsent(s.path(), k -> new ArrayList<>()).add(s);
      }
    }
    List<Long> extra = new ArrayList<>();
    for (List<StoredImage> rows : byPath.values()) {
      if (rows.size() > 1) {
        rows.sort(KEEP_FIRST);
        rows.subList(1, rows.size()).forEach(r -> extra.add(r.id()));
      }
    }
    store.deleteIds(extra);
    return extra.size();
  }

  static ImageRecord record(FileFacts file, Content content, float[] vector, List<String> labels) {
    return record(file, content, vector, labels, "");
  }

  static ImageRecord record(FileFacts file, Content content, float[] vector, List<String> labels, String caption) {
    return new ImageRecord(file.path().toString(), vector, content.sha256(), content.width(), content.height(),
        file.sizeBytes(), file.mtimeMs(), System.currentTimeMillis(), labels, caption);
  }
}
