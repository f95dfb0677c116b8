package dev.clipsearch.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.config.Settings;
import dev.clipsearch.testing.StoreConfigs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModelStampTest {
  private static final Path FIXTURE = Path.of("src/test/resources/fixtures/model/clip.pt");

  @Test
  void theStampHashesTheWholeModelFileAsSha256sumDoes() {
    // reference: `sha256sum src/test/resources/fixtures/model/clip.pt` (GNU coreutils)
    ModelStamp s = ModelStamp.ofFile(FIXTURE, "ViT-B-32-reduced-random", 512);
    assertEquals("f367ad754272a99843141fd48407027cb30a4821ebeb8d4d82d66438188ad71c", s.sha256());
    assertEquals("ViT-B-32-reduced-random (sha256 f367ad754272..., 512-d)", s.describe());
  }

  @Test
  void itRoundTripsThroughCollectionPropertiesAndOlderCollectionsHaveNone() {
    ModelStamp s = new ModelStamp("tiny", "c".repeat(64), 512);
    assertEquals(Optional.of(s), ModelStamp.fromProperties(s.properties()));
    assertEquals(Optional.empty(), ModelStamp.fromProperties(Map.of("collection.ttl.seconds", "0")));
    StoreException damaged = assertThrows(StoreException.class,
        () -> ModelStamp.fromProperties(Map.of(ModelStamp.SHA256, "not-a-hash")));
    assertTrue(damaged.getMessage().startsWith("the collection's model record is damaged"), damaged.getMessage());
  }

  @Test
  void theFileHashDecidesNotTheName() {
    ModelStamp s = new ModelStamp("tiny", "c".repeat(64), 512);
    assertTrue(s.sameModel(new ModelStamp("renamed", "c".repeat(64), 512)));
    assertFalse(s.sameModel(new ModelStamp("tiny", "d".repeat(64), 512)));
  }

  @Test
  void optionsRefuseAStampOfAnotherDimensionAndLogItWithoutTheToken() {
    ModelStamp tiny = new ModelStamp("tiny", "c".repeat(64), 512);
    StoreOptions o = StoreConfigs.options(tiny, Map.of(Settings.MILVUS, "http://milvus:19530",
        Settings.MILVUS_TOKEN, "user:s3cret", Settings.MILVUS_DB, "photos", Settings.ADOPT_COLLECTION, "true"));
    assertFalse(o.toString().contains("s3cret"), o.toString());
    assertTrue(o.toString().contains("database=photos, model=tiny (sha256 cccccccccccc..., 512-d), "
        + "adoptUnrecorded=true"), o.toString());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> with(768, null, tiny));
    assertEquals("model tiny gives 512-d vectors, not 768", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> with(512, "9bad-name", null));
  }

  /** Options whose only unusual fields are the dimension, the database and the model. */
  private static StoreOptions with(int dimension, String database, ModelStamp model) {
    Duration s = Duration.ofSeconds(1);
    return new StoreOptions("x", null, "images", dimension, StoreOptions.IndexKind.HNSW, 16, 200, 64, s, s, "python3",
        s, database, model, false, "vector", "filepath", false);
  }
}
