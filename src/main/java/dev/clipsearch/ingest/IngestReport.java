package dev.clipsearch.ingest;

import java.util.List;

/**
 * What an ingest run did (or, for a dry run, would do); printed as one JSON line by the CLI.
 *
 * @param inserted files stored for the first time
 * @param updated changed files whose old row was replaced
 * @param skipped files left alone: size and mtime unchanged, or content hash unchanged
 * @param pruned rows deleted because their file is gone ({@code --prune})
 * @param repaired duplicate rows of one path deleted (left behind by an earlier crash)
 * @param failed files that could not be stored, with the reason
 * @param interrupted the run was stopped (Ctrl-C, SIGTERM) before every file was done; what was done is stored
 */
public record IngestReport(int inserted, int updated, int skipped, int pruned, int repaired, List<Failure> failed,
    double seconds, boolean dryRun, boolean interrupted) {
  public record Failure(String path, String reason) {}

  public double imagesPerSecond() {
    return seconds <= 0 ? 0 : (inserted + updated) / seconds;
  }
}
