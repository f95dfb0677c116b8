package dev.clipsearch.store;

import java.util.List;

/**
 * A row to store. The path is the image's identity; the rest lets a later ingest decide without reading the file
 * whether it changed (size and mtime), and without decoding it whether its content changed (sha256).
 *
 * @param sha256 lower-case hex SHA-256 of the file's bytes ("" when unknown, e.g. rows written by tests)
 * @param sizeBytes the file's size when it was read
 * @param mtimeMs the file's last-modified time (epoch ms) when it was read
 * @param ingestedAt when the row was made (epoch ms)
 * @param labels free-form tags, searchable with {@link SearchFilter#label}; stored in the dynamic field
 * @param caption a description given with the image (the API's ingest takes one), returned with search results; ""
 *     when none; stored in the dynamic field
 */
public record ImageRecord(String path, float[] vector, String sha256, int width, int height, long sizeBytes,
    long mtimeMs, long ingestedAt, List<String> labels, String caption) {

  public ImageRecord {
    sha256 = sha256 == null ? "" : sha256;
    labels = labels == null ? List.of() : List.copyOf(labels);
    caption = caption == null ? "" : caption.strip();
  }

  /** A row without a caption. */
  public ImageRecord(String path, float[] vector, String sha256, int width, int height, long sizeBytes, long mtimeMs,
      long ingestedAt, List<String> labels) {
    this(path, vector, sha256, width, height, sizeBytes, mtimeMs, ingestedAt, labels, "");
  }

  /** A row with only a path and a vector (metadata unknown), ingested now. */
  public ImageRecord(String path, float[] vector) {
    this(path, vector, "", 0, 0, 0, 0, System.currentTimeMillis(), List.of());
  }
}
