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
 * unavailable store; {@link #readOnly} makes it refuse new rows as a collection of other code can. Thread-safe (every
 * method is synchronized).
 */
public final class InMemoryVectorStore implements VectorStore {
  private record Row(long id, ImageRecord r) {
    StoredImage stored() {
      return new StoredImage(id, r.path(), r.sha256(), r.sizeBytes(), r.mtimeMs(), r.ingestedAt());
    }
  }

  private final int dimension;
  private final List<Row> rows = new ArrayList<>();
  private long nextId = 1;
  private boolean ready;
  private boolean closed;
  private StoreException failure;
  private String readOnlyBecause = "";

  public InMemoryVectorStore(int dimension) {
    this.dimension = dimension;
  }

  /** From now on every call throws {@code e} (null: behave again). */
  public synchronized void failWith(StoreException e) {
    this.failure = e;
  }

  /** From now on inserts are refused as {@link MilvusVectorStore} refuses them, for this reason; searches work. */
  public synchronized void readOnly(String because) {
    this.readOnlyBecause = because;
  }

  @Override
  public synchronized void requireWritable() {
    check(true);
    if (!readOnlyBecause.isEmpty()) {
      throw new ReadOnlyCollectionException("in_memory", readOnlyBecause);
    }
  }

  @Override
  public synchronized void ensureCollection() {
    check(false);
    ready = true;
  }

  @Override
  public synchronized int insert(List<ImageRecord> batch) {
    requireWritable();
    for (ImageRecord r : batch) {
      checkPath(r.path());
      checkVector(r.vector());
    }
    for (ImageRecord r : batch) {
      rows.add(new Row(nextId++, r));
    }
    return batch.size();
  }

  @Override
  public synchronized List<Hit> search(float[] vector, int k, SearchFilter filter) {
    check(true);
    checkVector(vector);
    return rows.stream()
        .filter(r -> filter.matches(r.r().path(), r.r().labels()))
        .map(r -> new Hit(r.id(), r.r().path(), cosine(vector, r.r().vector()), r.r().caption()))
        .sorted(Comparator.comparingDouble(Hit::score).reversed().thenComparingLong(Hit::id))
        .limit(k)
        .toList();
  }

  @Override
  public synchronized List<StoredImage> lookup(Collection<String> paths) {
    check(true);
    Set<String> wanted = new HashSet<>(paths);
    return rows.stream().filter(r -> wanted.contains(r.r().path())).map(Row::stored).toList();
  }

  @Override
  public synchronized List<StoredImage> withContent(String sha256) {
    check(true);
    return rows.stream().filter(r -> r.r().sha256().equals(sha256)).map(Row::stored).toList();
  }

  @Override
  public synchronized List<StoredImage> under(String folder) {
    check(true);
    String prefix = SearchFilter.under(folder).folderPrefix();
    return rows.stream().filter(r -> r.r().path().startsWith(prefix)).map(Row::stored).toList();
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
    rows.removeIf(r -> r.r().path().equals(path));
    return before - rows.size();
  }

  @Override
  public synchronized long deleteIds(Collection<Long> ids) {
    check(true);
    Set<Long> doomed = new HashSet<>(ids);
    rows.removeIf(r -> doomed.contains(r.id()));
    return ids.size();
  }

  @Override
  public synchronized java.util.Optional<CollectionStats> stats() {
    check(false);
    return ready ? java.util.Optional.of(new CollectionStats("in_memory", rows.size(), dimension, "FLAT", "COSINE",
        java.util.Map.of(), java.util.Map.of(), new CollectionStats.Fields("id", "vector", "filepath", false), true,
        java.util.Optional.of(readOnlyBecause).filter(b -> !b.isEmpty()))) : java.util.Optional.empty();
  }

  @Override
  public synchronized boolean dropCollection() {
    check(false);
    boolean existed = ready;
    rows.clear();
    ready = false;
    return existed;
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
