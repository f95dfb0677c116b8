package dev.clipsearch.cli;

import dev.clipsearch.App;
import dev.clipsearch.search.Query;
import dev.clipsearch.store.Hit;
import dev.clipsearch.store.SearchFilter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Parameters;

@Command(name = "search", mixinStandardHelpOptions = true, modelTransformer = SettingOptions.Common.class,
    description = "Prints the images most similar to TEXT as JSON: [{\"path\": ..., \"score\": ...}], best first.")
public final class SearchCommand implements Runnable {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "TEXT", description = "the query, e.g. \"a white dog\"")
  String text;

  @Option(names = {"-k", "--top-k"}, paramLabel = "N", defaultValue = "" + Query.DEFAULT_K,
      description = "how many results, 1.." + Query.MAX_K + " as in the web UI and the API (default ${DEFAULT-VALUE})")
  int k;

  @Option(names = "--under", paramLabel = "DIR", description = "only images under this folder (any depth)")
  java.nio.file.Path under;

  @Option(names = "--label", paramLabel = "LABEL", description = "only images ingested with this --label")
  String label;

  @Override
  public void run() {
    String query = Query.text(text); // checked before the model loads: a bad query costs nothing
    int topK = Query.topK(k);
    SearchFilter filter = new SearchFilter(under == null ? null : IngestCommand.storedForm(under), label);
    try (App app = App.withStore(SettingOptions.config(spec))) {
      List<Hit> hits = app.search().byText(query, topK, filter);
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
