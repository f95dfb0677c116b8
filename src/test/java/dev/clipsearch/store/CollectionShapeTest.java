package dev.clipsearch.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.milvus.v2.common.IndexParam.MetricType;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which collections take new rows, and the reason a read-only one gives (issue 24 follow-up). */
class CollectionShapeTest {
  private static CollectionShape foreign(String id, boolean dynamicField, boolean autoId) {
    return new CollectionShape(id, "embedding", "path", 1024, false, dynamicField, autoId, MetricType.L2, "HNSW");
  }

  @Test
  void clipSearchsOwnCollectionAndTheTutorialsTakeNewRows() {
    assertEquals(Optional.empty(), CollectionShape.OURS.readOnlyBecause());
    CollectionShape tutorial = new CollectionShape("id", "vector", "filepath",
        CollectionSetup.DYNAMIC_PATH_MAX_LENGTH, false, true, true, MetricType.COSINE, "AUTOINDEX");
    assertEquals(Optional.empty(), tutorial.readOnlyBecause(), "auto_id keys, file facts in the dynamic field");
  }

  @Test
  void keysOfItsOwnMakeACollectionReadOnlyAndTheReasonNamesTheKey() {
    assertEquals(Optional.of("its primary key 'pk' is not auto_id, and clip-search does not invent keys"),
        foreign("pk", true, false).readOnlyBecause());
  }

  @Test
  void noDynamicFieldInACollectionOfOtherCodeMakesItReadOnly() {
    String because = foreign("id", false, true).readOnlyBecause().orElseThrow();
    assertTrue(because.startsWith("it has neither clip-search's fields (sha256, size_bytes, mtime_ms, ...) nor a "
        + "dynamic field"), because);
  }

  @Test
  void theRefusalSaysTheCollectionIsReadOnlyWhyAndHowToAddImages() {
    ReadOnlyCollectionException e = new ReadOnlyCollectionException("their_schema",
        foreign("pk", false, false).readOnlyBecause().orElseThrow());
    assertEquals("collection their_schema is read-only for clip-search: its primary key 'pk' is not auto_id, and "
        + "clip-search does not invent keys. Searching it works; to add images, copy it into a collection of "
        + "clip-search's own: clip-search migrate --from their_schema --collection NEW_NAME", e.getMessage());
  }

  @Test
  void theInMemoryDoubleRefusesInsertsOnceReadOnlyAndStillSearches() {
    try (InMemoryVectorStore s = new InMemoryVectorStore(2)) {
      s.ensureCollection();
      s.insert(java.util.List.of(new ImageRecord("/a.jpg", new float[] {1, 0})));
      s.readOnly("its primary key 'pk' is not auto_id");
      ReadOnlyCollectionException e = org.junit.jupiter.api.Assertions.assertThrows(
          ReadOnlyCollectionException.class, () -> s.insert(java.util.List.of(new ImageRecord("/b.jpg",
              new float[] {0, 1}))));
      assertTrue(e.getMessage().contains("its primary key 'pk' is not auto_id"), e.getMessage());
      assertEquals("/a.jpg", s.search(new float[] {1, 0}, 1).get(0).path());
      assertEquals(1, s.count());
    }
  }
}
