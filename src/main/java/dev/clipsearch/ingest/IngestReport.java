package dev.clipsearch.ingest;

import java.util.List;

/** What an ingest run did; printed as one JSON line by the CLI. */
public record IngestReport(int inserted, int skipped, List<Failure> failed, double seconds) {
  public record Failure(String path, String reason) {}

  public double imagesPerSecond() {
    return seconds <= 0 ? 0 : inserted / seconds;
  }
}
