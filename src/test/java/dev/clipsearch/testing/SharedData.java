package dev.clipsearch.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates ../shared (beside the repository root) for tests that need the test model and data sets. */
public final class SharedData {
  private SharedData() {}

  public static Path root() {
    Path repo = Path.of("").toAbsolutePath();
    while (repo != null && !Files.exists(repo.resolve("pom.xml"))) {
      repo = repo.getParent();
    }
    if (repo == null) {
      throw new IllegalStateException("repository root (pom.xml) not found from " + Path.of("").toAbsolutePath());
    }
    Path shared = repo.resolveSibling("shared");
    if (!Files.isDirectory(shared)) {
      throw new IllegalStateException("../shared not found beside " + repo + ": tests need the shared test data");
    }
    return shared;
  }

  public static Path tinyClipModel() {
    return root().resolve("models/cifar-tiny-clip.pt");
  }
}
