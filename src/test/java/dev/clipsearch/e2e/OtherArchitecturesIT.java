package dev.clipsearch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipsearch.testing.SharedData;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped jar takes another architecture's spec unchanged: a random-weight ViT-L/14 at 336 px with 768-d
 * vectors (reduced depth and width, same layout; exported by models/export_clip.py) ingests into a 768-d Milvus Lite
 * collection, embeds at 336 px and answers searches.
 */
class OtherArchitecturesIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path PYTHON = Path.of(".cache/export-venv/bin/python");

  @TempDir Path work;

  @Test
  void vitL14At336PixelsIngestsEmbedsAndSearchesWith768DimensionalVectors() throws Exception {
    assertTrue(Files.isExecutable(PYTHON), PYTHON + " is missing: src/scripts/test.sh installs it");
    Path model = work.resolve("vit-l-14-336.pt");
    Process export = new ProcessBuilder(PYTHON.toString(), "models/export_clip.py", "--random", "--reduced",
        "--model", "ViT-L-14-336-quickgelu", "--out", model.toString())
        .redirectErrorStream(true).redirectOutput(work.resolve("export.log").toFile()).start();
    assertTrue(export.waitFor(5, TimeUnit.MINUTES), "export timed out");
    assertEquals(0, export.exitValue(), Files.readString(work.resolve("export.log")));
    JsonNode spec = JSON.readTree(new File(model + ".json"));
    assertEquals(336, spec.get("image_size").asInt());
    assertEquals(768, spec.get("embed_dim").asInt());

    Path photos = SharedData.root().resolve("data/clip-notebook");
    String data = work.resolve("data").toString();
    JarProcess.Result ingest = JarProcess.run(work, 300, "ingest", photos.toString(), "--model", model.toString(),
        "--data-dir", data);
    assertEquals(0, ingest.exitCode(), ingest.stderr());
    int inserted = JSON.readTree(ingest.stdout().lines().reduce((a, b) -> b).orElseThrow()).get("inserted").asInt();
    assertEquals(9, inserted, ingest.stdout());

    JarProcess.Result embed = JarProcess.run(work, 300, "embed", "--image", photos.resolve("astronaut.png").toString(),
        "--model", model.toString());
    assertEquals(0, embed.exitCode(), embed.stderr());
    assertEquals(768, JSON.readTree(embed.stdout().lines().findFirst().orElseThrow()).get("vector").size());

    JarProcess.Result search = JarProcess.run(work, 300, "search", "a photo of an astronaut", "-k", "5", "--model",
        model.toString(), "--data-dir", data);
    assertEquals(0, search.exitCode(), search.stderr());
    JsonNode hits = JSON.readTree(search.stdout());
    assertEquals(5, hits.size(), search.stdout());
  }
}
