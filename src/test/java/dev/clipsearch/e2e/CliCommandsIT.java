package dev.clipsearch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipsearch.testing.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store commands through the shipped jar, on a real Milvus Lite: stats, search by image, delete with and without
 * confirmation, dropping the collection; and the tools' logging: quiet by default, INFO with -v.
 */
class CliCommandsIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path work;

  @Test
  void statsSearchByImageDeleteAndDropOnOneCollection() throws Exception {
    Path images = Files.createDirectories(work.resolve("images"));
    for (String cls : List.of("cat", "dog", "ship")) {
      Files.copy(SharedData.root().resolve("data/cifar10-test/" + cls + "/0000.jpg"), images.resolve(cls + ".jpg"));
    }
    String cat = images.resolve("cat.jpg").toRealPath().toString();

    JarProcess.Result ingest = jar("ingest", images.toString());
    assertEquals(0, ingest.exitCode(), ingest.stderr());
    assertFalse(ingest.stderr().contains(" INFO "), "a tool logs only warnings and errors by default:\n"
        + ingest.stderr());

    JsonNode stats = json(jar("stats"));
    assertTrue(stats.get("exists").asBoolean(), stats.toString());
    assertEquals(3, stats.get("rows").asInt());
    assertEquals(spec().get("embed_dim").asInt(), stats.get("dimension").asInt());
    assertEquals("COSINE", stats.get("index").get("metric").asText());
    assertEquals("image_collection", stats.get("collection").asText());
    assertEquals("clip-search", stats.get("layout").asText());
    assertEquals(JSON.readTree("{\"key\":\"id\",\"vector\":\"vector\",\"path\":\"filepath\","
        + "\"path_in\":\"schema\"}"), stats.get("fields"));
    assertTrue(stats.get("writable").asBoolean(), stats.toString());

    JsonNode byImage = json(jar("search", "--image", cat, "-k", "2"));
    assertEquals(2, byImage.size());
    assertEquals(cat, byImage.get(0).get("path").asText(), "the image itself comes first");
    assertEquals(1.0, byImage.get(0).get("score").asDouble(), 1e-3);
    assertEquals("", byImage.get(0).get("caption").asText());

    JarProcess.Result refused = jar("delete", cat);
    assertEquals(1, refused.exitCode(), "no terminal, no --yes: " + refused.stdout());
    assertTrue(refused.stderr().contains("refused without confirmation") && refused.stderr().contains("--yes"),
        refused.stderr());
    assertEquals(3, json(jar("stats")).get("rows").asInt(), "nothing was deleted");

    JarProcess.Result deleted = jar("delete", cat, "--yes", "-v");
    assertEquals(1, json(deleted).get("deleted").asInt());
    assertTrue(deleted.stderr().contains(" INFO "), "-v logs what happens:\n" + deleted.stderr());
    JsonNode left = json(jar("search", "--image", cat, "-k", "5"));
    assertEquals(2, left.size());
    for (JsonNode hit : left) {
      assertFalse(hit.get("path").asText().equals(cat), left.toString());
    }

    JsonNode dropped = json(jar("delete", "--collection-drop", "--yes"));
    assertTrue(dropped.get("dropped").asBoolean(), dropped.toString());
    assertEquals(2, dropped.get("rows").asInt());
    assertFalse(json(jar("stats")).get("exists").asBoolean(), "the collection is gone");
  }

  private JarProcess.Result jar(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--data-dir", work.resolve("data").toString()));
    if (!List.of("stats", "delete").contains(args[0])) {
      all.addAll(List.of("--model", SharedData.tinyClipModel().toString()));
    }
    return JarProcess.run(work, 240, all.toArray(String[]::new));
  }

  private static JsonNode json(JarProcess.Result r) throws Exception {
    assertEquals(0, r.exitCode(), r.stderr());
    return JSON.readTree(r.stdout());
  }

  private static JsonNode spec() throws Exception {
    Path model = SharedData.tinyClipModel();
    Path spec = Path.of(model + ".json");
    return JSON.readTree(Files.readString(Files.exists(spec) ? spec
        : model.resolveSibling(model.getFileName().toString().replaceFirst("\\.pt$", ".json"))));
  }
}
