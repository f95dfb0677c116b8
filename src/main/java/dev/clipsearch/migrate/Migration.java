package dev.clipsearch.migrate;

import dev.clipsearch.ingest.Content;
import dev.clipsearch.ingest.FileFacts;
import dev.clipsearch.ingest.FolderIngest;
import dev.clipsearch.store.ImageRecord;
import dev.clipsearch.store.SourceCollection;
import dev.clipsearch.store.StoredImage;
import dev.clipsearch.store.VectorStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Copies a collection made by other code (the Milvus tutorial's, say) into a clip-search collection without
 * re-embedding: each row's vector is carried over (scaled to unit length when an L2 or IP source holds it at another
 * length: {@link CosineCopy}), and the file facts ingest needs (SHA-256, size, mtime, pixel size) are read from the
 * file where it still exists. Rows whose file is gone are copied with empty facts and reported.
 *
 * <p>Resumable: a row whose path the target already holds is skipped, so a run that was stopped (or crashed) is
 * finished by running it again. (Into an empty target, the look-ups are skipped.) The source is only read ({@link SourceCollection} cannot write), and the report
 * proves it: the source's row count and a checksum over every row (key, path, vector), taken while copying and again
 * after, must agree.
 *
 * <p>Single-threaded: pages are read, checked against the target, and inserted one after another.
 */
public final class Migration {
  /** A source row whose file no longer exists. */
  public record Gone(long id, String path) {}

  /**
   * @param copied rows inserted into the target by this run
   * @param alreadyThere rows skipped because the target holds their path (an earlier, interrupted run copied them)
   * @param duplicatePaths source rows skipped because an earlier source row had the same path
   * @param gone rows whose file is gone, copied by this run or an earlier one (their facts are empty; ingest counts
   *     them as present)
   * @param checksumBefore SHA-256 over the source's rows as this run copied them
   * @param checksumAfter the same over a second read after the copy: equal when the source was not modified
   * @param sourceMetric what the source's index ranks by (COSINE, IP, L2); the target ranks by COSINE
   * @param normalised vectors this run scaled to unit length on copy (an L2 or IP source's; see {@link CosineCopy})
   */
  public record Report(String source, String target, long sourceRows, long copied, long alreadyThere,
      long duplicatePaths, List<Gone> gone, long sourceRowsAfter, String checksumBefore, String checksumAfter,
      String sourceMetric, long normalised, double seconds) {
    public boolean sourceUnchanged() {
      return sourceRows == sourceRowsAfter && checksumBefore.equals(checksumAfter);
    }

    /** What the change of metric does to the order of results, for a source that does not rank by cosine. */
    String ranking() {
      return normalised == 0
          ? "no vector this run copied needed scaling: at unit length " + sourceMetric + " ranks as COSINE does"
          : normalised + " vectors were not of unit length and were scaled to it on copy, as CLIP vectors are "
              + "compared by cosine: results may come in another order than the source's " + sourceMetric
              + " ranking gave";
    }

    public double rowsPerSecond() {
      return seconds > 0 ? sourceRows / seconds : 0;
    }

    /** The one-line JSON summary the command prints. */
    public Map<String, Object> summary() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("source", source);
      m.put("target", target);
      m.put("source_rows", sourceRows);
      m.put("copied", copied);
      m.put("already_there", alreadyThere);
      m.put("duplicate_paths", duplicatePaths);
      m.put("files_gone", gone.size());
      m.put("gone", gone.stream().map(g -> Map.of("id", g.id(), "path", g.path())).toList());
      m.put("source_unchanged", sourceUnchanged());
      m.put("source_rows_after", sourceRowsAfter);
      m.put("source_sha256_before", checksumBefore);
      m.put("source_sha256_after", checksumAfter);
      m.put("source_metric", sourceMetric);
      m.put("target_metric", "COSINE");
      m.put("normalised", normalised);
      if (!"COSINE".equals(sourceMetric)) {
        m.put("ranking", ranking());
      }
      m.put("seconds", Math.round(seconds * 1000) / 1000.0);
      m.put("rows_per_second", Math.round(rowsPerSecond() * 10) / 10.0);
      return m;
    }
  }

  private final SourceCollection source;
  private final VectorStore target;
  private final String targetName;
  private final FolderIngest.Progress progress;

  public Migration(SourceCollection source, VectorStore target, String targetName, FolderIngest.Progress progress) {
    this.source = source;
    this.target = target;
    this.targetName = targetName;
    this.progress = progress;
  }

  public Report run() {
    long t0 = System.nanoTime();
    long total = source.count();
    // An empty target holds none of the paths: skip the look-ups (a STRONG query per 100 paths, which waits for the
    // server's time tick on Milvus and scans the rows on Lite). A target with rows is a resumed run: look them up.
    boolean resuming = target.count() > 0;
    RowChecksum before = new RowChecksum();
    Set<String> seen = new HashSet<>();
    List<Gone> gone = new ArrayList<>();
    long[] counts = new long[3]; // copied, already there, duplicate paths
    CosineCopy vectors = new CosineCopy(source.metric());
    int[] done = new int[1];
    source.forEachPage(page -> {
      List<SourceCollection.Row> fresh = new ArrayList<>(page.size());
      for (SourceCollection.Row r : page) {
        before.add(r);
        if (seen.add(r.path())) {
          fresh.add(r);
        } else {
          counts[2]++;
        }
      }
      Map<String, StoredImage> present = new HashMap<>();
      if (resuming) {
        for (StoredImage s : target.lookup(fresh.stream().map(SourceCollection.Row::path).toList())) {
          present.put(s.path(), s);
        }
      }
      List<ImageRecord> rows = new ArrayList<>(fresh.size());
      for (SourceCollection.Row r : fresh) {
        StoredImage copied = present.get(r.path());
        if (copied != null) {
          counts[1]++;
          if (copied.recordsNoFileFacts()) {
            gone.add(new Gone(r.id(), r.path())); // copied by an earlier run that found its file gone
          }
        } else {
          rows.add(record(r, vectors.of(r.vector()), gone));
        }
      }
      counts[0] += target.insert(rows);
      done[0] += page.size();
      progress.update(done[0], (int) Math.max(total, done[0]), gone.size(), (System.nanoTime() - t0) / 1e9);
    });
    RowChecksum after = new RowChecksum();
    source.forEachPage(page -> page.forEach(after::add));
    return new Report(source.name(), targetName, total, counts[0], counts[1], counts[2], gone, source.count(),
        before.hex(), after.hex(), source.metric(), vectors.normalised(), (System.nanoTime() - t0) / 1e9);
  }

  /** The row for the target: {@code vector} (the source's, see {@link CosineCopy}), and the file's facts if any. */
  private static ImageRecord record(SourceCollection.Row r, float[] vector, List<Gone> gone) {
    long now = System.currentTimeMillis();
    Path file = r.path().isEmpty() ? null : Path.of(r.path());
    if (file == null || !Files.isRegularFile(file)) {
      gone.add(new Gone(r.id(), r.path()));
      return new ImageRecord(r.path(), vector, "", 0, 0, 0, 0, now, List.of());
    }
    try {
      FileFacts facts = FileFacts.stat(file);
      Content content = Content.of(Files.readAllBytes(file));
      return new ImageRecord(r.path(), vector, content.sha256(), content.width(), content.height(),
          facts.sizeBytes(), facts.mtimeMs(), now, List.of());
    } catch (IOException | RuntimeException e) {
      // unreadable or empty: keep the vector, as for a file that is gone (the next ingest decides about the file)
      gone.add(new Gone(r.id(), r.path()));
      return new ImageRecord(r.path(), vector, "", 0, 0, 0, 0, now, List.of());
    }
  }
}
