package dev.clipsearch.cli;

import dev.clipsearch.App;
import dev.clipsearch.config.ServerConfig;
import dev.clipsearch.migrate.Migration;
import dev.clipsearch.model.ModelSpec;
import dev.clipsearch.store.MilvusVectorStore;
import dev.clipsearch.store.ModelStamp;
import dev.clipsearch.store.SourceCollection;
import dev.clipsearch.store.StoreException;
import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "migrate", mixinStandardHelpOptions = true, modelTransformer = SettingOptions.ModelAndStore.class,
    description = {"Copies a collection made by other code (e.g. the Milvus tutorial's) into a clip-search collection.",
        "SOURCE goes into --collection on the same Milvus, without re-embedding: vectors are carried over, hashes and",
        "sizes read from the files that still exist. SOURCE is only read; its row count and a checksum of its rows",
        "are compared before and after. Resumable: run it again after a stop and it copies what is missing.",
        "--vector-field and --path-field name SOURCE's fields; --adopt-collection confirms that SOURCE's vectors",
        "were made by --model. Progress on stderr; a one-line JSON summary on stdout, with the rows whose files",
        "are gone."})
public final class MigrateCommand implements Runnable {
  @Spec CommandSpec spec;

  @Option(names = "--from", paramLabel = "SOURCE", required = true, description = "the collection to copy from")
  String from;

  @Option(names = "--progress-every", paramLabel = "SECONDS", defaultValue = "5",
      description = "seconds between progress lines when stderr is not a terminal (default 5)")
  double progressEverySeconds;

  @Override
  public void run() {
    ServerConfig config = SettingOptions.config(spec);
    String target = config.store().collection();
    if (from.equals(target)) {
      throw new ParameterException(spec.commandLine(), "--from " + from + " is also the target; name the new "
          + "collection with --collection NAME");
    }
    if (!(progressEverySeconds >= 0 && progressEverySeconds <= 3600)) {
      throw new ParameterException(spec.commandLine(),
          "--progress-every must be between 0 and 3600 seconds, got " + progressEverySeconds);
    }
    // Nothing is embedded: the model file is only hashed, to record it in the target as ingest would.
    ModelStamp model = stamp(config);
    try (MilvusVectorStore store = MilvusVectorStore.open(App.storeOptions(config.store(), model.dimension(),
        model))) {
      SourceCollection source = store.source(from, config.store().fields().vector(), config.store().fields().path());
      checkModel(source, model, config.store().adoptCollection());
      store.ensureCollection();
      if (!store.hasOwnLayout()) {
        throw new StoreException("collection " + target + " exists and was not made by clip-search; name a new "
            + "target with --collection NAME");
      }
      Migration.Report report = new Migration(source, store, target,
          new StderrProgress(progressEverySeconds, "migrate", "rows", "row", "files gone")).run();
      System.out.println(Json.write(report.summary()));
      System.out.flush();
      if (!report.sourceUnchanged()) {
        throw new StoreException("collection " + from + " changed while it was copied (rows " + report.sourceRows()
            + " -> " + report.sourceRowsAfter() + ", checksum " + report.checksumBefore().substring(0, 12) + " -> "
            + report.checksumAfter().substring(0, 12) + "); something else writes to it: run migrate again once "
            + "it is quiet, and it copies what is missing");
      }
    }
  }

  private static ModelStamp stamp(ServerConfig config) {
    try {
      ModelSpec spec = ModelSpec.forModel(config.model());
      return ModelStamp.ofFile(config.model(), spec.name(), spec.embedDim());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the spec of " + config.model() + ": " + e.getMessage(), e);
    }
  }

  /** The source's vectors must be the model's: recorded so, or confirmed by the user (--adopt-collection). */
  private static void checkModel(SourceCollection source, ModelStamp model, boolean confirmed) {
    if (source.dimension() != model.dimension()) {
      throw new StoreException("collection " + source.name() + " holds " + source.dimension() + "-d vectors, the "
          + "model " + model.describe() + " gives " + model.dimension()
          + "-d; pick the model that made them (--model)");
    }
    if (source.model().isPresent()) {
      if (!source.model().get().sha256().equals(model.sha256())) {
        throw new StoreException("collection " + source.name() + " holds vectors of " + source.model().get()
            .describe() + ", not of " + model.describe() + "; pick that model with --model");
      }
    } else if (!confirmed) {
      throw new StoreException("collection " + source.name() + " does not record which model made its vectors. If "
          + "it was " + model.describe() + " (--model), say so with --adopt-collection; the copy records it");
    }
  }
}
