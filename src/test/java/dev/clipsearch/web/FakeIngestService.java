package dev.clipsearch.web;

import dev.clipsearch.ingest.IngestService;
import dev.clipsearch.model.image.BadImageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.imageio.ImageIO;

/** Records ingested files and their captions; refuses files that are not decodable images, like the real service. */
final class FakeIngestService implements IngestService {
  static final String LINE_SEPARATORS = " \u2028\u0085\u2029";
  final List<Path> ingested = new CopyOnWriteArrayList<>();
  final List<String> captions = new CopyOnWriteArrayList<>();

  @Override
  public String ingestFile(Path file, String caption) {
    try {
      if (ImageIO.read(file.toFile()) == null) throw new BadImageException("not a decodable image: " + file.getFileName());
      ingested.add(file);
      captions.add(caption);
      // The trailing separators test the wire: raw U+2028/U+0085 in a frame break gradio_client <= 1.10 (iter_lines).
      return "stored " + file.getFileName() + " (" + Files.size(file) + " bytes)" + LINE_SEPARATORS;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
