package dev.clipsearch.cli;

import dev.clipsearch.App;
import dev.clipsearch.embedding.ClipEncoder;
import dev.clipsearch.search.Query;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "embed", mixinStandardHelpOptions = true, modelTransformer = SettingOptions.ModelOnly.class,
    description = {"Prints the CLIP vectors of texts and images, one JSON object per input, in the order given.",
        "  {\"text\": T, \"tokens\": [ids without padding], \"vector\": [...]}  or  {\"image\": PATH, \"vector\": [...]}",
        "Vectors are unit-normalised. Used to check parity with the Python reference (open_clip)."})
public final class EmbedCommand implements Runnable {
  @Spec CommandSpec spec;

  @Option(names = "--text", paramLabel = "T", description = "a text to embed (repeatable)")
  List<String> texts = new ArrayList<>();

  @Option(names = "--image", paramLabel = "PATH", description = "an image file to embed (repeatable)")
  List<Path> images = new ArrayList<>();

  @Override
  public void run() {
    if (texts.isEmpty() && images.isEmpty()) {
      throw new IllegalArgumentException("nothing to embed: give --text T and/or --image PATH");
    }
    List<String> queries = texts.stream().map(Query::text).toList(); // checked as search queries are
    try (App app = App.modelOnly(SettingOptions.config(spec))) {
      ClipEncoder encoder = app.encoder();
      for (String text : queries) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("text", text);
        row.put("tokens", encoder.tokenize(text));
        row.put("vector", encoder.encodeText(text));
        System.out.println(Json.write(row));
      }
      for (Path image : images) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("image", image.toString());
        row.put("vector", encoder.encodeImage(read(image)));
        System.out.println(Json.write(row));
      }
    }
  }

  private static byte[] read(Path image) {
    try {
      return Files.readAllBytes(image);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + image + ": " + e.getMessage(), e);
    }
  }
}
