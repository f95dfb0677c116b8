package dev.clipsearch.store;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The one narrow interface in front of the vector database. Implementations are thread-safe; writes to one
 * collection are serialised inside the implementation (Milvus Lite is single-writer per collection).
 */
public interface VectorStore extends AutoCloseable {
  /** Creates the collection (and its COSINE index) if missing, and loads it for search. */
  void ensureCollection();

  /** Inserts the rows; returns how many were stored. */
  int insert(List<ImageRecord> rows);

  /** The k nearest rows by cosine similarity, best first. */
  List<Hit> search(float[] vector, int k);

  /** Which of these paths are already stored (ingest uses it to skip work it has done before). */
  Set<String> existingPaths(Collection<String> paths);

  /** Number of stored rows. */
  long count();

  /** Deletes every row with this path; returns how many were deleted. */
  long deleteByPath(String path);

  /** A short description for logs and /health, e.g. the URI and server version. */
  String describe();

  @Override
  void close();
}
