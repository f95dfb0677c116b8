package dev.clipsearch.gradio;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Assertions;

/** Reads the Gradio transcripts in place (../shared/fixtures/gradio), never copying them into the repo. */
final class GoldenFiles {
  static final Path ROOT = Path.of("..", "shared", "fixtures", "gradio");

  private GoldenFiles() {}

  static JsonNode json(String version, String name) throws IOException {
    Path p = ROOT.resolve(version).resolve(name);
    Assertions.assertTrue(Files.isRegularFile(p), "fixture missing: " + p.toAbsolutePath());
    return GradioJson.MAPPER.readTree(p.toFile());
  }

  static Set<String> keys(JsonNode n) {
    Set<String> s = new TreeSet<>();
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) s.add(it.next());
    return s;
  }
}
