package dev.clipsearch.cli;

import dev.clipsearch.App;
import dev.clipsearch.embedding.BulkEmbedder;
import dev.clipsearch.eval.ClassFolderEval;
import dev.clipsearch.eval.LabelledSetEval;
import dev.clipsearch.eval.RetrievalMetrics;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Parameters;

@Command(name = "eval", mixinStandardHelpOptions = true, modelTransformer = SettingOptions.ModelOnly.class,
    description = {"Measures retrieval quality of a model on a labelled image set, as JSON.",
        "On a class-folder data set (one sub-folder per class): zero-shot accuracy, text->image P@10 and mAP. On a set",
        "with one image per class listed in DIR/labels.tsv (file, id, class name): text->image recall@1/5/10.",
        "Runs the whole Java pipeline (decode, preprocess, model); nothing is stored."})
public final class EvalCommand implements Runnable {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "data set root, e.g. ../shared/data/cifar10-test")
  Path dir;

  @Option(names = "--prompt", defaultValue = "a photo of a {}", description = "prompt template (default: ${DEFAULT-VALUE})")
  String prompt;

  @Option(names = "--per-class", defaultValue = "0", description = "at most N images per class (default all)")
  int perClass;

  @Override
  public void run() {
    try (App app = App.modelOnly(SettingOptions.config(spec))) {
      long start = System.nanoTime();
      BulkEmbedder embedder = new BulkEmbedder(app.encoder(), app.config().runtime().decodeThreads());
      if (LabelledSetEval.applies(dir)) {
        LabelledSetEval.Recall r = new LabelledSetEval(app.encoder(), embedder).run(dir, prompt);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("recall_at_1", r.at1());
        out.put("recall_at_5", r.at5());
        out.put("recall_at_10", r.at10());
        out.put("zero_shot_accuracy", r.zeroShotAccuracy());
        out.put("images", r.images());
        out.put("seconds", Math.round((System.nanoTime() - start) / 1e6) / 1000.0);
        System.out.println(Json.write(out));
        return;
      }
      RetrievalMetrics.Scores s = new ClassFolderEval(app.encoder(), embedder).run(dir, prompt, perClass);
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("zero_shot_accuracy", s.zeroShotAccuracy());
      out.put("p_at_10", s.precisionAt10());
      out.put("map", s.meanAveragePrecision());
      Map<String, Double> perClass = new LinkedHashMap<>();
      for (int c = 0; c < s.classes(); c++) {
        perClass.put(s.classNames().get(c), s.precisionAt10PerClass()[c]);
      }
      out.put("p_at_10_per_class", perClass);
      out.put("images", s.images());
      out.put("classes", s.classes());
      out.put("seconds", Math.round((System.nanoTime() - start) / 1e6) / 1000.0);
      System.out.println(Json.write(out));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
