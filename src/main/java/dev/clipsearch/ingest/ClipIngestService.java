package dev.clipsearch.ingest;

import dev.clipsearch.embedding.ClipEncoder;
import dev.clipsearch.store.ImageRecord;
import dev.clipsearch.store.VectorStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Ingests single uploaded files (the UI's and API's "ingest" endpoint). */
public final class ClipIngestService implements IngestService {
  private final ClipEncoder encoder;
  private final VectorStore store;

  public ClipIngestService(ClipEncoder encoder, VectorStore store) {
    this.encoder = encoder;
    this.store = store;
  }

  @Override
  public String ingestFile(Path file) {
    Path path = file.toAbsolutePath().normalize();
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path.getFileName() + ": " + e.getMessage(), e);
    }
    if (!store.existingPaths(List.of(path.toString())).isEmpty()) {
      return "already stored: " + path.getFileName() + " (" + store.count() + " images in total)";
    }
    float[] vector = encoder.encodeImage(bytes);
    store.insert(List.of(new ImageRecord(path.toString(), vector)));
    return "stored " + path.getFileName() + " (" + store.count() + " images in total)";
  }
}
