package dev.clipsearch.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Assertions;

/**
 * The captured Gradio transcripts (read in place from ../shared, never copied into the repo) and helpers to compare
 * shapes: key sets, not values (ids, timings and temp paths differ by design).
 */
final class Fixtures {
  static final ObjectMapper M = new ObjectMapper();
  static final Path ROOT = Path.of("..", "shared", "fixtures", "gradio");

  private Fixtures() {}

  static String text(String version, String name) throws IOException {
    Path p = ROOT.resolve(version).resolve(name);
    Assertions.assertTrue(Files.isRegularFile(p), "fixture missing: " + p.toAbsolutePath());
    return Files.readString(p, StandardCharsets.UTF_8);
  }

  static JsonNode json(String version, String name) throws IOException {
    return M.readTree(text(version, name));
  }

  /** Parses a queue/data body: every frame must be exactly "data: <json>" (what gradio_client accepts). */
  static List<JsonNode> dataFrames(String body) throws IOException {
    Assertions.assertTrue(body.endsWith("\n\n"), "stream must end with a blank line: " + body);
    List<JsonNode> out = new ArrayList<>();
    for (String frame : body.substring(0, body.length() - 2).split("\n\n", -1)) {
      Assertions.assertTrue(frame.startsWith("data: "), "not a data frame: " + frame);
      Assertions.assertFalse(frame.contains("\n"), "multi-line frame: " + frame);
      Assertions.assertFalse(frame.contains("\r"), "CR in frame: " + frame);
      out.add(M.readTree(frame.substring(6)));
    }
    return out;
  }

  static Set<String> keys(JsonNode n) {
    Set<String> s = new TreeSet<>();
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) s.add(it.next());
    return s;
  }

  static List<String> msgs(List<JsonNode> frames) {
    return frames.stream().map(f -> f.get("msg").asText()).toList();
  }
}
