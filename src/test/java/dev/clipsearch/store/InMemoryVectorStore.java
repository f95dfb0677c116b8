package dev.clipsearch.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A brute-force, in-memory {@link VectorStore} for unit tests of other packages. It behaves like
 * {@link MilvusVectorStore} where a caller can tell (checked by {@link VectorStoreContract}): cosine scores best
 * first, ids from 1, caller mistakes as IllegalArgumentException, calls before {@link #ensureCollection()} or after
 * {@link #close()} as StoreException. {@link #failWith} makes every call throw, to test how callers handle an
 * unavailable store. Thread-safe (every method is synchronized).
 */
public final class InMemoryVectorStore implements VectorStore {
  private record Row(long id, String path, float[] vector) {}

  private final int dimension;
  private final List<Row> rows = new ArrayList<>();
  private long nextId = 1;
  private boolean ready;
  private boolean closed;
  private StoreException failure;

  public InMemoryVectorStore(int dimension) {
    this.dimension = dimension;
  }

  /** From now on every call throws {@code e} (null: behave again). */
  public synchronized void failWith(StoreException e) {
    this.failure = e;
  }

  @Override
  public synchronized void ensureCollection() {
    check(false);
    ready = true;
  }

  @Override
  public synchronized int insert(List<ImageRecord> batch) {
    check(true);
    for (ImageRecord r : batch) {
      checkPath(r.path());
      checkVector(r.vector());
    }
    for (ImageRecord r : batch) {
      rows.add(new Row(nextId++, r.path(), r.vector().clone()));
    }
    return batch.size();
  }

  @Override
  public synchronized List<Hit> search(float[] vector, int k) {
    check(true);
    checkVector(vector);
    if (k < 1) {
      throw new IllegalArgumentException("k must be positive, got " + k);
    }
    return rows.stream()
        .map(r -> new Hit(r.id(), r.path(), cosine(vector, r.vector())))
        .sorted(Comparator.comparingDouble(Hit::score).reversed().thenComparingLong(Hit::id))
        .limit(k)
        .toList();
  }

  @Override
  public synchronized Set<String> existingPaths(Collection<String> paths) {
    check(true);
    Set<String> wanted = new HashSet<>(paths);
    Set<String> found = new HashSet<>();
    for (Row r : rows) {
      if (wanted.contains(r.path())) {
        found.add(r.path());
      }
    }
    return found;
  }

  @Override
  public synchronized long count() {
    check(true);
    return rows.size();
  }

  @Override
  public synchronized long deleteByPath(String path) {
    check(true);
    checkPath(path);
    int before = rows.size();
    rows.removeIf(r -> r.path().equals(path));
    return before - rows.size();
  }

  @Override
  public String describe() {
    return "in-memory test store (" + dimension + "-d)";
  }

  @Override
  public synchronized void close() {
    closed = true;
  }

  private void check(boolean needsCollection) {
    if (failure != null) {
      throw failure;
    }
    if (closed) {
      throw new StoreException("the vector store is closed");
    }
    if (needsCollection && !ready) {
      throw new StoreException("collection does not exist: call ensureCollection() first");
    }
  }

  private void checkPath(String path) {
    if (path == null || path.isEmpty()) {
      throw new IllegalArgumentException("an image path must not be empty");
    }
  }

  private void checkVector(float[] v) {
    if (v == null || v.length != dimension) {
      throw new IllegalArgumentException("vector has " + (v == null ? "no" : v.length) + " dimensions, needs "
          + dimension);
    }
    for (float f : v) {
      if (!Float.isFinite(f)) {
        throw new IllegalArgumentException("vector contains " + f);
      }
    }
  }

  private static float cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return na == 0 || nb == 0 ? 0f : (float) (dot / Math.sqrt(na * nb));
  }
}
