package dev.clipsearch.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
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
    StoreOptions o = StoreOptions.defaults("http://milvus:19530", 512).withToken("user:s3cret")
        .withDatabase("photos").withModel(new ModelStamp("tiny", "c".repeat(64), 512), true);
    assertFalse(o.toString().contains("s3cret"), o.toString());
    assertTrue(o.toString().contains("database=photos, model=tiny (sha256 cccccccccccc..., 512-d), "
        + "adoptUnrecorded=true"), o.toString());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> StoreOptions.defaults("x", 768).withModel(new ModelStamp("tiny", "c".repeat(64), 512), false));
    assertEquals("model tiny gives 512-d vectors, not 768", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> StoreOptions.defaults("x", 8).withDatabase("9bad-name"));
  }
}
