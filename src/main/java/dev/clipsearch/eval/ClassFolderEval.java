package dev.clipsearch.eval;

import dev.clipsearch.embedding.BulkEmbedder;
import dev.clipsearch.embedding.ClipEncoder;
import dev.clipsearch.ingest.ImageFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Evaluates the whole Java pipeline (tokenizer, decode + preprocess, model) on a class-folder data set: one
 * sub-folder per class, the folder name is the class name. Vectors stay in memory; no store is involved, so the
 * figures measure the encoder alone and compare directly with the Python reference.
 */
public final class ClassFolderEval {
  private final ClipEncoder encoder;
  private final BulkEmbedder embedder;

  public ClassFolderEval(ClipEncoder encoder, BulkEmbedder embedder) {
    this.encoder = encoder;
    this.embedder = embedder;
  }

  /**
   * @param template prompt with {} for the class name, e.g. "a photo of a {}"
   * @param perClass at most this many images per class (0 = all), taken in file-name order
   */
  public RetrievalMetrics.Scores run(Path root, String template, int perClass) throws InterruptedException {
    if (!template.contains("{}")) {
      throw new IllegalArgumentException("the prompt template needs a {} for the class name: " + template);
    }
    List<Path> classDirs = classDirs(root);
    List<Path> files = new ArrayList<>();
    Map<Path, Integer> labelOf = new HashMap<>();
    float[][] prompts = new float[classDirs.size()][];
    for (int c = 0; c < classDirs.size(); c++) {
      String name = classDirs.get(c).getFileName().toString().replace('_', ' ');
      prompts[c] = encoder.encodeText(template.replace("{}", name));
      List<Path> images = ImageFiles.under(classDirs.get(c));
      for (Path p : perClass > 0 ? images.subList(0, Math.min(perClass, images.size())) : images) {
        files.add(p);
        labelOf.put(p, c);
      }
    }
    float[][] vectors = new float[files.size()][];
    int[] labels = new int[files.size()];
    int[] next = {0};
    List<String> failures = new ArrayList<>();
    embedder.embed(files, r -> {
      if (!r.ok()) {
        failures.add(r.path() + ": " + r.error());
        return;
      }
      vectors[next[0]] = r.vector();
      labels[next[0]++] = labelOf.get(r.path());
    });
    if (!failures.isEmpty()) {
      throw new IllegalStateException(failures.size() + " images failed, first: " + failures.get(0));
    }
    List<String> names = classDirs.stream().map(d -> d.getFileName().toString()).toList();
    return RetrievalMetrics.score(vectors, labels, prompts).withNames(names);
  }

  private static List<Path> classDirs(Path root) {
    try (Stream<Path> s = Files.list(root)) {
      List<Path> dirs = s.filter(Files::isDirectory).sorted().toList();
      if (dirs.size() < 2) {
        throw new IllegalArgumentException(root + " needs at least two class sub-folders");
      }
      return dirs;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
    }
  }
}
