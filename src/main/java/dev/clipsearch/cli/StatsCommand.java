package dev.clipsearch.cli;

import dev.clipsearch.App;
import dev.clipsearch.store.CollectionStats;
import dev.clipsearch.store.VectorStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "stats", mixinStandardHelpOptions = true, modelTransformer = SettingOptions.StoreOnly.class,
    description = {"Prints what the collection holds as JSON: rows, dimension, index and the model record.",
        "  {\"collection\": ..., \"store\": ..., \"exists\": true, \"rows\": N, \"dimension\": D,",
        "   \"index\": {\"type\": ..., \"metric\": ..., \"params\": {...}}, \"properties\": {...}}",
        "No model is loaded. A collection that does not exist yet prints \"exists\": false."})
public final class StatsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    try (App app = App.storeOnly(SettingOptions.config(spec))) {
      VectorStore store = app.store();
      Optional<CollectionStats> stats = store.stats();
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("collection", app.config().store().collection());
      out.put("store", store.describe());
      out.put("exists", stats.isPresent());
      stats.ifPresent(s -> {
        out.put("rows", s.rows());
        out.put("dimension", s.dimension());
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("type", s.index());
        index.put("metric", s.metric());
        index.put("params", s.indexParams());
        out.put("index", index);
        out.put("properties", s.properties());
      });
      System.out.println(Json.write(out));
    }
  }
}
