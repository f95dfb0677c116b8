package dev.clipsearch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipsearch.model.ModelSpec;
import dev.clipsearch.testing.SharedData;
import dev.clipsearch.testing.StoreTarget;
import dev.clipsearch.testing.TutorialCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code clip-search migrate} as users run it (the jar), on the Milvus Lite directory the tutorial's own Python code
 * made: refused until the model is confirmed, then a JSON summary with the rows whose files are gone, a progress bar
 * on stderr, and a re-run that copies nothing twice.
 */
class MigrateCommandIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  @Test
  void migratesTheTutorialsCollectionOnceTheModelIsConfirmedAndReportsTheFilesThatAreGone() throws Exception {
    Path model = SharedData.tinyClipModel();
    int dim = ModelSpec.forModel(model).embedDim();
    Path db = tmp.resolve("milvus_demo.db");
    Path photos = Files.createDirectories(tmp.resolve("photos"));
    Random rnd = new Random(5);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Path file = photos.resolve(i + ".jpg");
      if (i % 4 != 3) {
        Files.copy(SharedData.root().resolve(String.format("data/cifar10-test/cat/%04d.jpg", i)), file);
      }
      float[] v = new float[dim];
      for (int d = 0; d < dim; d++) {
        v[d] = (float) rnd.nextGaussian();
      }
      rows.add(TutorialCode.row(v, file.toString()));
    }
    TutorialCode tutorial = new TutorialCode(StoreTarget.LITE, db, Files.createDirectories(tmp.resolve("work")));
    tutorial.create("image_collection", "tutorial", rows);
    JsonNode before = tutorial.snapshot("image_collection", "tutorial");
    String[] migrate = {"migrate", "--milvus", db.toString(), "--from", "image_collection", "--collection", "photos",
        "--model", model.toString(), "--progress-every", "0"};

    JarProcess.Result refused = JarProcess.run(tmp, 180, migrate);
    assertEquals(1, refused.exitCode(), refused.stderr());
    assertTrue(refused.stderr().contains("error: collection image_collection does not record which model made its "
        + "vectors. If it was cifar"), refused.stderr());
    assertTrue(refused.stderr().contains("say so with --adopt-collection"), refused.stderr());

    String[] confirmed = java.util.stream.Stream.concat(java.util.Arrays.stream(migrate),
        java.util.stream.Stream.of("--adopt-collection")).toArray(String[]::new);
    JarProcess.Result done = JarProcess.run(tmp, 180, confirmed);
    assertEquals(0, done.exitCode(), done.stderr());
    JsonNode summary = JSON.readTree(done.stdout());
    assertEquals(20, summary.get("source_rows").asInt(), done.stdout());
    assertEquals(20, summary.get("copied").asInt());
    assertEquals(5, summary.get("files_gone").asInt());
    assertEquals(photos.resolve("3.jpg").toString(), summary.get("gone").get(0).get("path").asText());
    assertTrue(summary.get("source_unchanged").asBoolean());
    assertEquals("COSINE", summary.get("source_metric").asText(), "the tutorial's metric: vectors kept as they are");
    assertEquals(0, summary.get("normalised").asInt());
    assertFalse(summary.has("ranking"), "cosine ranks as the target does");
    assertEquals(before.get("sha256").asText(), summary.get("source_sha256_after").asText());
    assertTrue(done.stderr().contains("migrate [##############################] 20/20 rows"), done.stderr());

    JarProcess.Result again = JarProcess.run(tmp, 180, confirmed);
    assertEquals(0, again.exitCode(), again.stderr());
    JsonNode second = JSON.readTree(again.stdout());
    assertEquals(0, second.get("copied").asInt(), again.stdout());
    assertEquals(20, second.get("already_there").asInt());
    assertEquals(before, tutorial.snapshot("image_collection", "tutorial"), "the source is never modified");

    JarProcess.Result same = JarProcess.run(tmp, 60, "migrate", "--milvus", db.toString(), "--from", "photos",
        "--collection", "photos");
    assertEquals(2, same.exitCode(), same.stderr());
    assertTrue(same.stderr().contains("--from photos is also the target"), same.stderr());
  }
}
