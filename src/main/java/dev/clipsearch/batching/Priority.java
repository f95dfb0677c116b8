package dev.clipsearch.batching;

/**
 * Which work a batch serves first. A batch takes every queued interactive item before any bulk one, so a search
 * waits at most for the batch being computed, however much ingest is queued; bulk work fills what room is left.
 */
public enum Priority {
  /** a user waiting: text and image searches */
  INTERACTIVE,
  /** ingest: runs on the capacity searches leave */
  BULK
}
