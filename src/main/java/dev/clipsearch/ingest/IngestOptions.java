package dev.clipsearch.ingest;

import dev.clipsearch.embedding.BulkEmbedder;
import java.util.List;

/**
 * How a folder ingest runs.
 *
 * @param prune also delete the rows of files under the folder that no longer exist
 * @param dryRun only report what would happen: reads no file content, writes nothing
 * @param maxFileBytes larger files are skipped (listed as failed) without being read
 * @param labels attached to every image stored by this run (searchable with {@code search --label})
 */
public record IngestOptions(boolean prune, boolean dryRun, long maxFileBytes, List<String> labels) {
  public static final IngestOptions DEFAULT = new IngestOptions(false, false, BulkEmbedder.DEFAULT_MAX_FILE_BYTES,
      List.of());

  public IngestOptions {
    labels = labels == null ? List.of() : List.copyOf(labels);
    if (maxFileBytes < 1) {
      throw new IllegalArgumentException("the file size limit must be positive, got " + maxFileBytes);
    }
  }
}
