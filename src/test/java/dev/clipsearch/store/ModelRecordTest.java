package dev.clipsearch.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.config.Settings;
import dev.clipsearch.testing.StoreConfigs;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The model check decides and writes nothing: adopting returns the record for the caller to write once the open has
 * succeeded, so an open refused later (no index without --create-index) leaves the properties as they were.
 */
class ModelRecordTest {
  private static final ModelStamp TINY = new ModelStamp("cifar-tiny-clip", "a".repeat(64), 8);
  private static final ModelStamp OTHER = new ModelStamp("ViT-B-32", "b".repeat(64), 8);

  private static StoreOptions options(boolean adopt) {
    return StoreConfigs.options(TINY, Map.of(Settings.MILVUS, "http://localhost:19530", Settings.COLLECTION, "c",
        Settings.ADOPT_COLLECTION, String.valueOf(adopt)));
  }

  @Test
  void adoptingAnUnrecordedCollectionReturnsTheRecordToWriteInsteadOfWritingIt() {
    assertEquals(Optional.of(TINY), ModelRecord.check(options(true), Map.of(), false));
  }

  @Test
  void aCollectionRecordingTheModelInUseNeedsNothingWritten() {
    assertEquals(Optional.empty(), ModelRecord.check(options(true), TINY.properties(), true));
  }

  @Test
  void anUnrecordedCollectionIsRefusedWithoutTheFlag() {
    StoreException e = assertThrows(StoreException.class, () -> ModelRecord.check(options(false), Map.of(), false));
    assertTrue(e.getMessage().contains("run once with --adopt-collection"), e.getMessage());
  }

  @Test
  void anotherModelsRecordIsNeverOverriddenEvenWhenAdopting() {
    StoreException e = assertThrows(StoreException.class,
        () -> ModelRecord.check(options(true), OTHER.properties(), true));
    assertTrue(e.getMessage().startsWith("collection c holds vectors of the model ViT-B-32"), e.getMessage());
  }
}
