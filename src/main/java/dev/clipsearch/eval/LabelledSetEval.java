package dev.clipsearch.eval;

import dev.clipsearch.embedding.BulkEmbedder;
import dev.clipsearch.embedding.ClipEncoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates a set with one image per class listed in {@code labels.tsv} (header, then {@code file<TAB>id<TAB>class
 * name}), ImageNet-style like ../shared/data/imagenet-sample: each class prompt should find its own image, so the
 * figures are text-to-image recall@1/5/10 (the form in which CLIP's retrieval results are published) plus zero-shot
 * accuracy over the same classes.
 */
public final class LabelledSetEval {
  public static final String LABELS = "labels.tsv";

  public record Recall(double at1, double at5, double at10, double zeroShotAccuracy, int images) {}

  private final ClipEncoder encoder;
  private final BulkEmbedder embedder;

  public LabelledSetEval(ClipEncoder encoder, BulkEmbedder embedder) {
    this.encoder = encoder;
    this.embedder = embedder;
  }

  public static boolean applies(Path root) {
    return Files.isRegularFile(root.resolve(LABELS));
  }

  public Recall run(Path root, String template) throws InterruptedException {
    List<String[]> rows = readLabels(root.resolve(LABELS));
    List<Path> files = new ArrayList<>();
    Map<Path, Integer> indexOf = new HashMap<>();
    float[][] prompts = new float[rows.size()][];
    for (int i = 0; i < rows.size(); i++) {
      Path file = root.resolve(rows.get(i)[0]).toAbsolutePath().normalize();
      files.add(file);
      indexOf.put(file, i);
      prompts[i] = encoder.encodeText(template.replace("{}", rows.get(i)[2]));
    }
    float[][] images = new float[rows.size()][];
    List<String> failures = new ArrayList<>();
    embedder.embed(files, r -> {
      if (r.ok()) {
        images[indexOf.get(r.path())] = r.vector();
      } else {
        failures.add(r.path() + ": " + r.error());
      }
    });
    if (!failures.isEmpty()) {
      throw new IllegalStateException(failures.size() + " images failed, first: " + failures.get(0));
    }
    return score(images, prompts);
  }

  /** images[i] is the only relevant image for prompts[i]. */
  static Recall score(float[][] images, float[][] prompts) {
    int n = images.length;
    int[] hits = new int[3];
    int correct = 0;
    for (int c = 0; c < n; c++) {
      float own = RetrievalMetrics.dot(images[c], prompts[c]);
      int rank = 0; // images scoring strictly higher than the class's own image
      for (int i = 0; i < n; i++) {
        if (i != c && RetrievalMetrics.dot(images[i], prompts[c]) > own) {
          rank++;
        }
      }
      hits[0] += rank < 1 ? 1 : 0;
      hits[1] += rank < 5 ? 1 : 0;
      hits[2] += rank < 10 ? 1 : 0;
      int best = 0;
      for (int p = 1; p < n; p++) {
        if (RetrievalMetrics.dot(images[c], prompts[p]) > RetrievalMetrics.dot(images[c], prompts[best])) {
          best = p;
        }
      }
      correct += best == c ? 1 : 0;
    }
    return new Recall((double) hits[0] / n, (double) hits[1] / n, (double) hits[2] / n, (double) correct / n, n);
  }

  private static List<String[]> readLabels(Path tsv) {
    try {
      List<String[]> rows = new ArrayList<>();
      List<String> lines = Files.readAllLines(tsv);
      for (String line : lines.subList(1, lines.size())) {
        String[] cols = line.split("\t");
        if (cols.length >= 3 && !cols[0].isBlank()) {
          rows.add(cols);
        }
      }
      if (rows.size() < 2) {
        throw new IllegalArgumentException(tsv + " lists fewer than two images");
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + tsv + ": " + e.getMessage(), e);
    }
  }
}
