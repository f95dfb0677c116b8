package dev.clipsearch.web;

import java.time.Duration;

/**
 * Bounds of what uploads and their caches may take on disk (see {@link UploadSpace}, {@link Thumbnails}).
 *
 * @param maxUploadBytes per uploaded file; larger is 413 (also reported as config.max_file_size)
 * @param quotaBytes space for uploads the index does not hold; the least recently used are evicted to make room
 * @param ttl uploads older than this that were not ingested are deleted
 * @param queryCacheBytes images searched with, kept after their search
 * @param thumbnailCacheBytes gallery thumbnails
 */
public record UploadLimits(long maxUploadBytes, long quotaBytes, Duration ttl, long queryCacheBytes,
    long thumbnailCacheBytes) {
  public UploadLimits {
    if (maxUploadBytes < 1 || quotaBytes < maxUploadBytes || queryCacheBytes < 0 || thumbnailCacheBytes < 1) {
      throw new IllegalArgumentException("upload limits must be positive, and the upload quota at least one upload");
    }
    if (ttl.toMinutes() < 1) {
      throw new IllegalArgumentException("upload TTL must be at least a minute");
    }
  }
}
