package dev.clipsearch.cli;

import dev.clipsearch.App;
import dev.clipsearch.store.CollectionStats;
import dev.clipsearch.store.StoredImage;
import dev.clipsearch.store.VectorStore;
import java.io.Console;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "delete", mixinStandardHelpOptions = true, modelTransformer = SettingOptions.StoreOnly.class,
    description = {"Removes images from the index, or drops the whole collection (--collection-drop).",
        "A PATH removes that image's row; a folder removes every row under it. The files themselves stay.",
        "Asks for confirmation on a terminal; --yes confirms in advance (scripts). Prints a JSON summary:",
        "  {\"deleted\": N, \"collection\": ...}  or  {\"dropped\": true, \"rows\": N, \"collection\": ...}",
        "No model is loaded."})
public final class DeleteCommand implements Runnable {
  @Spec CommandSpec spec;

  @Parameters(arity = "0..*", paramLabel = "PATH", description = "an image or a folder (its rows at any depth), as "
      + "ingested")
  List<Path> paths = new ArrayList<>();

  @Option(names = "--collection-drop", description = "drop the whole collection (--collection) with every row in it")
  boolean drop;

  @Option(names = {"-y", "--yes"}, description = "do not ask for confirmation")
  boolean yes;

  @Override
  public void run() {
    if (drop == !paths.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "give the PATHs to delete, or --collection-drop (not both)");
    }
    try (App app = App.storeOnly(SettingOptions.config(spec))) {
      VectorStore store = app.store();
      String collection = app.config().store().collection();
      Map<String, Object> out = new LinkedHashMap<>();
      if (drop) {
        long rows = store.stats().map(CollectionStats::rows).orElse(0L);
        confirm("Drop collection " + collection + " (" + rows + " images, in " + store.describe() + ")? This cannot "
            + "be undone.");
        out.put("dropped", store.dropCollection());
        out.put("rows", rows);
      } else {
        store.ensureCollection(); // loads it (and says so when it does not exist)
        Set<Long> ids = new LinkedHashSet<>();
        for (Path p : paths) {
          String stored = IngestCommand.storedForm(p);
          store.lookup(List.of(stored)).forEach(s -> ids.add(s.id()));
          store.under(stored).stream().map(StoredImage::id).forEach(ids::add);
        }
        if (!ids.isEmpty()) {
          confirm("Delete " + ids.size() + " image" + (ids.size() == 1 ? "" : "s") + " from collection " + collection
              + "? The files stay where they are.");
          store.deleteIds(ids);
        }
        out.put("deleted", ids.size());
      }
      out.put("collection", collection);
      System.out.println(Json.write(out));
    }
  }

  /** Returns when the user said yes (or --yes was given); otherwise stops the command without doing anything. */
  private void confirm(String question) {
    if (yes) {
      return;
    }
    Console console = System.console();
    if (console == null) {
      throw new IllegalStateException(question.replaceFirst("\\?.*", "") + ": refused without confirmation (stdin is "
          + "not a terminal); pass --yes to confirm in advance");
    }
    String answer = console.readLine("%s [y/N] ", question);
    if (answer == null || !answer.strip().toLowerCase(Locale.ROOT).matches("y|yes")) {
      throw new IllegalStateException("nothing deleted: not confirmed");
    }
  }
}
