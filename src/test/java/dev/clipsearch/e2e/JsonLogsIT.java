package dev.clipsearch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipsearch.testing.SharedData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CLIPSRV_LOG_FORMAT=json: every log line of the shipped jar is one JSON object a log pipeline can parse. */
class JsonLogsIT {
  @TempDir Path work;

  @Test
  void everyLogLineIsAJsonObjectWithLevelLoggerAndMessage() throws Exception {
    Path err = work.resolve("stderr.txt");
    ProcessBuilder pb = JarProcess.builder(work, "embed", "-v", "--model", SharedData.tinyClipModel().toString(), "--text",
        "a dog").redirectError(err.toFile()).redirectOutput(work.resolve("stdout.txt").toFile());
    pb.environment().put("CLIPSRV_LOG_FORMAT", "json");
    Process p = pb.start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue());
    List<String> lines = Files.readAllLines(err, StandardCharsets.UTF_8);
    assertTrue(lines.size() >= 3, "the model load logs a few lines: " + lines);
    ObjectMapper json = new ObjectMapper();
    for (String line : lines) {
      JsonNode n = json.readTree(line);
      assertTrue(n.path("timestamp").isNumber() && n.path("level").isTextual() && n.path("loggerName").isTextual()
          && n.path("formattedMessage").isTextual(), line);
    }
    assertTrue(lines.stream().anyMatch(l -> l.contains("\"formattedMessage\":\"model ready in ")), String.join("\n", lines));
    assertTrue(Files.readString(work.resolve("stdout.txt")).startsWith("{\"text\":\"a dog\""), "results stay on stdout");
  }
}
