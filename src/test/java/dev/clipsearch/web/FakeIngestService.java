package dev.clipsearch.web;

import dev.clipsearch.ingest.IngestService;
import dev.clipsearch.model.BadImageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.imageio.ImageIO;

/** Records ingested files; refuses files that are not decodable images, like the real service. */
final class FakeIngestService implements IngestService {
  final List<Path> ingested = new CopyOnWriteArrayList<>();

  @Override
  public String ingestFile(Path file) {
    try {
      if (ImageIO.read(file.toFile()) == null) throw new BadImageException("not a decodable image: " + file.getFileName());
      ingested.add(file);
      return "stored " + file.getFileName() + " (" + Files.size(file) + " bytes)";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
