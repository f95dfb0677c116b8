package dev.clipsearch.ingest;

import dev.clipsearch.store.ImageRecord;
import dev.clipsearch.store.VectorStore;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes new rows and removes the rows they replace, in the one order that can never leave two rows for a path:
 * delete first, then insert. A crash between the two leaves the file absent from the store for a moment, and the next
 * ingest sees it as new and adds it back; the other order would leave a duplicate. Folder ingest and HTTP ingest
 * both write through here.
 */
final class ImageWriter {
  /** A row to store and the ids of the rows (same path, older content) it replaces. */
  record Pending(ImageRecord record, List<Long> replaces) {}

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

  static ImageRecord record(FileFacts file, Content content, float[] vector, List<String> labels) {
    return record(file, content, vector, labels, "");
  }

  static ImageRecord record(FileFacts file, Content content, float[] vector, List<String> labels, String caption) {
    return new ImageRecord(file.path().toString(), vector, content.sha256(), content.width(), content.height(),
        file.sizeBytes(), file.mtimeMs(), System.currentTimeMillis(), labels, caption);
  }
}
