package dev.clipsearch.cli;

import dev.clipsearch.App;
import dev.clipsearch.search.Query;
import dev.clipsearch.store.Hit;
import dev.clipsearch.store.SearchFilter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "search", mixinStandardHelpOptions = true, modelTransformer = SettingOptions.ModelAndStore.class,
    description = {"Prints the stored images most similar to TEXT, or to an image (--image FILE), as JSON.",
        "Best first: [{\"path\": ..., \"score\": ..., \"caption\": ...}] (caption: \"\" unless one was given at ingest).",
        "At most " + Query.MAX_K + " results: the same limit as the web page's slider and the API."})
public final class SearchCommand implements Runnable {
  @Spec CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "TEXT", description = "the query, e.g. \"a white dog\"")
  String text;

  @Option(names = "--image", paramLabel = "FILE", description = "search by this image instead of a text (JPEG, PNG, "
      + "WebP, GIF or BMP)")
  Path image;

  @Option(names = {"-k", "--top-k"}, paramLabel = "N", defaultValue = "" + Query.DEFAULT_K,
      description = "how many results, 1.." + Query.MAX_K + " (default ${DEFAULT-VALUE})")
  int k;

  @Option(names = "--under", paramLabel = "DIR", description = "only images under this folder (any depth)")
  Path under;

  @Option(names = "--label", paramLabel = "LABEL", description = "only images ingested with this --label")
  String label;

  @Override
  public void run() {
    if ((text == null) == (image == null)) {
      throw new ParameterException(spec.commandLine(), "give either TEXT or --image FILE (exactly one)");
    }
    // Checked before the model loads: a bad query or a missing file costs nothing.
    String query = text == null ? null : Query.text(text);
    byte[] probe = image == null ? null : read(image);
    int topK = Query.topK(k);
    SearchFilter filter = new SearchFilter(under == null ? null : IngestCommand.storedForm(under), label);
    try (App app = App.withStore(SettingOptions.config(spec))) {
      List<Hit> hits = query != null ? app.search().byText(query, topK, filter)
          : app.search().byImage(probe, topK, filter);
      System.out.println(Json.write(hits.stream().map(SearchCommand::row).toList()));
    }
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static Map<String, Object> row(Hit hit) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", hit.path());
    m.put("score", hit.score());
    m.put("caption", hit.caption());
    return m;
  }
}
