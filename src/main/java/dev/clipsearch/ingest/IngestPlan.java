package dev.clipsearch.ingest;

import dev.clipsearch.embedding.BulkEmbedder;
import dev.clipsearch.store.StoredImage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides, from a stat of each file and what the store holds, what a folder ingest must do. Pure (no I/O), so every
 * case is unit-tested without a model or a Milvus.
 *
 * <p>Change detection compares size and mtime first, because that costs one stat per file while a hash costs reading
 * every byte: on a re-run of a large folder nearly all files are unchanged and none of them is read. Only when size or
 * mtime differ is the file read and hashed, and only when the hash differs too is it decoded and embedded. A file
 * copied over with its old mtime and size but new content is missed by this rule (as by rsync's default); that is the
 * price of not reading unchanged folders.
 *
 * <p>A row that records no file facts at all (written by other code into a collection clip-search serves as it is,
 * such as the Milvus tutorial's) counts its file as present: nothing can prove the file changed, and re-embedding a
 * library is what serving such a collection avoids.
 */
public final class IngestPlan {
  /** A file to read: new ({@code replaces} empty) or changed, with the rows its new row replaces. */
  public record Work(FileFacts file, List<Long> replaces, String storedSha256) {
    public boolean isNew() {
      return replaces.isEmpty();
    }
  }

  private final List<Work> work = new ArrayList<>();
  private final List<IngestReport.Failure> tooLarge = new ArrayList<>();
  private final List<Long> strays = new ArrayList<>();
  private final List<StoredImage> gone = new ArrayList<>();
  private int unchanged;

  /**
   * @param files the image files found under the folder
   * @param stored the store's rows for those paths (any order; several per path after a crash mid-replace)
   * @param storedUnder every row under the folder when pruning, or null when not
   */
  public static IngestPlan of(List<FileFacts> files, Collection<StoredImage> stored,
      Collection<StoredImage> storedUnder, long maxFileBytes) {
    IngestPlan plan = new IngestPlan();
    Map<String, List<StoredImage>> byPath = new HashMap<>();
    for (StoredImage s : stored) {
      byPath.computeIfAbsent(s.path(), p -> new ArrayList<>()).add(s);
    }
    // newest first: when a path has several rows, the newest is the one to keep
    Comparator<StoredImage> newest = Comparator.comparingLong(StoredImage::ingestedAt)
        .thenComparingLong(StoredImage::id).reversed();
    Set<String> present = new HashSet<>();
    for (FileFacts f : files) {
      String path = f.path().toString();
      present.add(path);
      List<StoredImage> rows = byPath.getOrDefault(path, new ArrayList<>());
      rows.sort(newest);
      // A row written by other code records no size or mtime: present until proven changed, and nothing proves it.
      StoredImage same = rows.stream().filter(r -> r.sizeBytes() == f.sizeBytes() && r.mtimeMs() == f.mtimeMs()
          || r.recordsNoFileFacts()).findFirst().orElse(null);
      if (same != null) {
        plan.unchanged++;
        // Other code's rows are left as they are, duplicates included (the tutorial's insert may have run twice).
        rows.stream().filter(r -> r != same && !r.recordsNoFileFacts()).forEach(r -> plan.strays.add(r.id()));
      } else if (f.sizeBytes() > maxFileBytes) {
        plan.tooLarge.add(new IngestReport.Failure(path, BulkEmbedder.tooLarge(f.sizeBytes(), maxFileBytes)));
      } else {
        plan.work.add(new Work(f, rows.stream().map(StoredImage::id).toList(),
            rows.isEmpty() ? null : rows.get(0).sha256()));
      }
    }
    if (storedUnder != null) {
      storedUnder.stream().filter(s -> !present.contains(s.path())).forEach(plan.gone::add);
    }
    return plan;
  }

  /** Files to read, hash and (if their content is new) embed. */
  public List<Work> work() {
    return work;
  }

  /** Files skipped by size before being read. */
  public List<IngestReport.Failure> tooLarge() {
    return tooLarge;
  }

  /** Extra rows of unchanged files (left by a crash between insert and delete, or an SDK retry): delete them. */
  public List<Long> strays() {
    return strays;
  }

  /** Rows of files that no longer exist (only when pruning). */
  public List<StoredImage> gone() {
    return gone;
  }

  public int unchanged() {
    return unchanged;
  }

  public long newFiles() {
    return work.stream().filter(Work::isNew).count();
  }
}
