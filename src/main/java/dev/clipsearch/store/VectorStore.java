package dev.clipsearch.store;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The one narrow interface in front of the vector database. Implementations are thread-safe; writes to one
 * collection are serialised inside the implementation (Milvus Lite is single-writer per collection).
 *
 * <p>Row identity is the file path, but the store does not enforce one row per path (Milvus has no unique
 * constraint): ingest keeps it so by deleting a path's old rows before inserting its new one, and repairs any
 * leftover duplicates it finds through {@link #lookup}.
 */
public interface VectorStore extends AutoCloseable {
  /** Creates the collection (and its COSINE index) if missing, and loads it for search. */
  void ensureCollection();

  /** Inserts the rows; returns how many were stored. Refused as {@link #requireWritable()} refuses. */
  int insert(List<ImageRecord> rows);

  /**
   * Throws {@link ReadOnlyCollectionException} when the collection cannot take new rows (made by other code with keys
   * of its own, or with nowhere for the file facts); search works either way. Known since the collection was opened,
   * so it costs no server call: ingest and uploads ask first, before reading or embedding anything.
   */
  void requireWritable();

  /** The k nearest rows by cosine similarity, best first. */
  default List<Hit> search(float[] vector, int k) {
    return search(vector, k, SearchFilter.NONE);
  }

  /** The k nearest rows among those matching {@code filter}, best first. */
  List<Hit> search(float[] vector, int k, SearchFilter filter);

  /** Metadata of every row stored under one of these paths (more than one per path only after a crash). */
  List<StoredImage> lookup(Collection<String> paths);

  /** Rows whose file content has this SHA-256 (lower-case hex). */
  List<StoredImage> withContent(String sha256);

  /** Every row whose path lies under {@code folder} (absolute), at any depth. */
  List<StoredImage> under(String folder);

  /** Which of these paths are already stored. */
  default Set<String> existingPaths(Collection<String> paths) {
    Set<String> found = new HashSet<>();
    for (StoredImage s : lookup(paths)) {
      found.add(s.path());
    }
    return found;
  }

  /**
   * The cheapest call that proves the store answers (readiness probes); throws {@link StoreException} otherwise. The
   * default counts rows; a server-backed store should override it with something that reads no data.
   */
  default void ping() {
    count();
  }

  /** Number of stored rows. */
  long count();

  /** Deletes every row with this path; returns how many were deleted. */
  long deleteByPath(String path);

  /** Deletes the rows with these ids; returns how many ids were asked for (Milvus does not say which existed). */
  long deleteIds(Collection<Long> ids);

  /** What the collection holds (rows, dimension, index, model), or empty when it does not exist. */
  Optional<CollectionStats> stats();

  /** Drops the collection with every row in it; returns whether it existed. Cannot be undone. */
  boolean dropCollection();

  /** A short description for logs and /health, e.g. the URI and server version. */
  String describe();

  @Override
  void close();
}
