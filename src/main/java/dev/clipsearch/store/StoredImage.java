package dev.clipsearch.store;

/**
 * What the store knows about a stored image besides its vector: enough for ingest to decide whether the file on
 * disk is unchanged (size + mtime), changed in content (sha256), or gone.
 */
public record StoredImage(long id, String path, String sha256, long sizeBytes, long mtimeMs, long ingestedAt) {
  /**
   * A row written by other code (the Milvus tutorial's insert of a vector and a filepath): it records no hash, size or
   * mtime, so nothing can prove its file changed, and ingest counts the file as present (issue 24).
   */
  public boolean recordsNoFileFacts() {
    return sha256.isEmpty() && sizeBytes == 0 && mtimeMs == 0;
  }
}
