package dev.clipsearch.web;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipsearch.testing.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One version folder of the captured Gradio transcripts ({@code ../shared/fixtures/gradio/<version>}), read in place,
 * and parsers for its file formats (see that folder's README): full responses, header files and SSE bodies.
 */
final class Transcript {
  /** A captured response: status, headers (lower-case names; the last value wins) and body. */
  record Response(int status, Map<String, String> headers, String body) {
    JsonNode json() throws IOException {
      return Fixtures.M.readTree(body);
    }
  }

  /** One SSE frame: its {@code event:} name (null when absent) and its {@code data:} payload parsed as JSON. */
  record Frame(String event, JsonNode data) {}

  final String version;
  final Path dir;

  Transcript(String version) {
    this.version = version;
    this.dir = SharedData.root().resolve("fixtures").resolve("gradio").resolve(version);
  }

  /** The API prefix this version used: none in 4.x, /gradio_api from 5.0. */
  String prefix() {
    return version.startsWith("4.") ? "" : "/gradio_api";
  }

  String text(String name) throws IOException {
    Path p = dir.resolve(name);
    assertTrue(Files.isRegularFile(p), "transcript file missing: " + p);
    return Files.readString(p, StandardCharsets.UTF_8);
  }

  JsonNode json(String name) throws IOException {
    return Fixtures.M.readTree(text(name));
  }

  /** A {@code *.raw} full response or a {@code *.headers} file (then the body is empty). */
  Response response(String name) throws IOException {
    String t = text(name);
    assertTrue(t.startsWith("HTTP/1.1 "), name + " is not a full response");
    int end = t.indexOf("\r\n\r\n");
    String head = end < 0 ? t : t.substring(0, end);
    String body = end < 0 ? "" : t.substring(end + 4);
    String[] lines = head.split("\r\n");
    Map<String, String> headers = new TreeMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
    }
    return new Response(Integer.parseInt(lines[0].split(" ")[1]), headers, body);
  }

  /** Parses an SSE body strictly: LF-only frames of optional {@code event:} and one {@code data:} line each. */
  static List<Frame> frames(String body) throws IOException {
    assertTrue(body.endsWith("\n\n"), "an SSE body ends with a blank line: " + body);
    assertTrue(!body.contains("\r"), "CR in an SSE body");
    List<Frame> out = new ArrayList<>();
    for (String frame : body.substring(0, body.length() - 2).split("\n\n", -1)) {
      String event = null;
      JsonNode data = null;
      for (String line : frame.split("\n")) {
        if (line.startsWith("event: ")) {
          event = line.substring(7);
        } else if (line.startsWith("data: ")) {
          assertTrue(data == null, "two data lines in one frame: " + frame);
          data = Fixtures.M.readTree(line.substring(6));
        } else {
          throw new AssertionError("unexpected SSE line: " + line);
        }
      }
      assertTrue(data != null, "frame without data: " + frame);
      out.add(new Frame(event, data));
    }
    return out;
  }
}
