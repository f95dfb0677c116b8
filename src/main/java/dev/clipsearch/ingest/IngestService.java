package dev.clipsearch.ingest;

import java.nio.file.Path;

/** Embeds images and stores them. Thread-safe; writes go through the store's single writer. */
public interface IngestService {
  /**
   * Embeds and stores one image file (an upload, already copied to durable storage by the caller).
   *
   * @param caption kept with the image and returned with search results ("" for none)
   * @return a one-line human-readable status, e.g. "stored /data/uploads/ab12/cat.jpg (1 new row, 1001 in total)"
   * @throws dev.clipsearch.model.image.BadImageException when the file is not a decodable image
   * @throws dev.clipsearch.store.ReadOnlyCollectionException when the collection cannot take new rows (nothing read)
   */
  String ingestFile(Path file, String caption);

  /** {@link #ingestFile(Path, String)} without a caption. */
  default String ingestFile(Path file) {
    return ingestFile(file, "");
  }
}
