package dev.clipsearch.ingest;

import dev.clipsearch.embedding.BulkEmbedder;
import dev.clipsearch.embedding.ClipEncoder;
import dev.clipsearch.store.StoredImage;
import dev.clipsearch.store.VectorStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Ingests single uploaded files (the UI's and API's "ingest" endpoint) with the rows and rules of folder ingest: the
 * same {@link Content} hash and record fields, the same {@link ImageWriter} write order. An upload whose bytes are
 * already stored (under any path) is not stored again: uploads get a fresh path each time, so only the content can
 * tell that a user sent the same photo twice (its first caption stays). A path stored with other content is replaced.
 */
public final class ClipIngestService implements IngestService {
  private final ClipEncoder encoder;
  private final VectorStore store;
  private final ImageWriter writer;

  public ClipIngestService(ClipEncoder encoder, VectorStore store) {
    this.encoder = encoder;
    this.store = store;
    this.writer = new ImageWriter(store);
  }

  @Override
  public String ingestFile(Path file, String caption) {
    store.requireWritable(); // a collection that cannot take rows refuses before the upload is read or embedded
    Path path = file.toAbsolutePath().normalize();
    FileFacts facts;
    byte[] bytes;
    try {
      facts = FileFacts.stat(path);
      if (facts.sizeBytes() > BulkEmbedder.DEFAULT_MAX_FILE_BYTES) {
        throw new IllegalArgumentException(path.getFileName() + ": "
            + BulkEmbedder.tooLarge(facts.sizeBytes(), BulkEmbedder.DEFAULT_MAX_FILE_BYTES));
      }
      bytes = Files.readAllBytes(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path.getFileName() + ": " + e.getMessage(), e);
    }
    Content content = Content.of(bytes);
    List<StoredImage> same = store.withContent(content.sha256());
    if (!same.isEmpty()) {
      String where = same.stream().anyMatch(s -> s.path().equals(path.toString())) ? path.getFileName().toString()
          : path.getFileName() + " (same content as " + same.get(0).path() + ")";
      return "already stored: " + where + " (" + store.count() + " images in total)";
    }
    List<Long> old = store.lookup(List.of(path.toString())).stream().map(StoredImage::id).toList();
    float[] vector = encoder.encodeImageForIngest(bytes); // BadImageException for a non-image: nothing is written
    writer.write(List.of(new ImageWriter.Pending(ImageWriter.record(facts, content, vector, List.of(), caption), old)));
    return (old.isEmpty() ? "stored " : "replaced ") + path.getFileName() + " (" + store.count()
        + " images in total)";
  }
}
