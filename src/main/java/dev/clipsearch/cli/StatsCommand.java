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
    description = {"Prints what the collection holds as JSON: rows, dimension, fields, index and the model record.",
        "  {\"collection\": ..., \"store\": ..., \"exists\": true, \"rows\": N, \"dimension\": D,",
        "   \"layout\": \"clip-search\" or \"other code\", \"fields\": {\"key\": ..., \"vector\": ..., \"path\": ...,",
        "   \"path_in\": \"schema\" or \"dynamic field\"}, \"writable\": true or false (then \"read_only_because\"),",
        "   \"index\": {\"type\": ..., \"metric\": ..., \"params\": {...}}, \"properties\": {...}}",
        "A collection made by other code is described by its own field names (--vector-field, --path-field).",
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
        out.put("layout", s.ownLayout() ? "clip-search" : "other code");
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("key", s.fields().key());
        fields.put("vector", s.fields().vector());
        fields.put("path", s.fields().path());
        fields.put("path_in", s.fields().pathIsDynamic() ? "dynamic field" : "schema");
        out.put("fields", fields);
        out.put("writable", s.readOnly().isEmpty());
        s.readOnly().ifPresent(because -> out.put("read_only_because", because));
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
