package dev.clipsearch.store;

/**
 * What the store knows about a stored image besides its vector: enough for ingest to decide whether the file on
 * disk is unchanged (size + mtime), changed in content (sha256), or gone.
 */
public record StoredImage(long id, String path, String sha256, long sizeBytes, long mtimeMs, long ingestedAt) {}
