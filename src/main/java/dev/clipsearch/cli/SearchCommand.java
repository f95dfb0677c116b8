package dev.clipsearch.cli;

import dev.clipsearch.App;
import dev.clipsearch.store.Hit;
import dev.clipsearch.store.SearchFilter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "search", mixinStandardHelpOptions = true,
    description = "Prints the images most similar to TEXT as JSON: [{\"path\": ..., \"score\": ...}], best first.")
public final class SearchCommand implements Runnable {
  @Mixin CommonOptions common;

  @Parameters(index = "0", paramLabel = "TEXT", description = "the query, e.g. \"a white dog\"")
  String text;

  @Option(names = {"-k", "--top-k"}, paramLabel = "N", defaultValue = "10", description = "how many results (default 10)")
  int k;

  @Option(names = "--under", paramLabel = "DIR", description = "only images under this folder (any depth)")
  java.nio.file.Path under;

  @Option(names = "--label", paramLabel = "LABEL", description = "only images ingested with this --label")
  String label;

  @Override
  public void run() {
    SearchFilter filter = new SearchFilter(under == null ? null : IngestCommand.storedForm(under), label);
    try (App app = App.withStore(common.toConfig("127.0.0.1", 0, null))) {
      List<Hit> hits = app.search().byText(text, k, filter);
      List<Map<String, Object>> out = hits.stream().map(SearchCommand::row).toList();
      System.out.println(Json.write(out));
    }
  }

  private static Map<String, Object> row(Hit hit) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", hit.path());
    m.put("score", hit.score());
    return m;
  }
}
