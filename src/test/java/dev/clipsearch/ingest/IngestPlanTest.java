package dev.clipsearch.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.clipsearch.store.StoredImage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class IngestPlanTest {
  private static final String SHA = "a".repeat(64);
  private static final long LIMIT = 1000;

  private static FileFacts file(String path, long size, long mtime) {
    return new FileFacts(Path.of(path), size, mtime);
  }

  private static StoredImage row(long id, String path, long size, long mtime, long ingestedAt) {
    return new StoredImage(id, path, SHA, size, mtime, ingestedAt);
  }

  @Test
  void aFileWithTheStoredSizeAndMtimeIsNotRead() {
    IngestPlan plan = IngestPlan.of(List.of(file("/p/a.jpg", 10, 5)), List.of(row(1, "/p/a.jpg", 10, 5, 1)), null,
        LIMIT);
    assertEquals(1, plan.unchanged());
    assertEquals(List.of(), plan.work());
    assertEquals(List.of(), plan.strays());
  }

  @Test
  void aRowWrittenByOtherCodeWithoutFileFactsCountsItsFileAsPresent() {
    StoredImage tutorials = new StoredImage(4, "/p/a.jpg", "", 0, 0, 0);
    IngestPlan plan = IngestPlan.of(List.of(file("/p/a.jpg", 10, 5)), List.of(tutorials), null, LIMIT);
    assertEquals(1, plan.unchanged());
    assertEquals(List.of(), plan.work());
    assertEquals(List.of(), plan.strays());
  }

  @Test
  void duplicateRowsWrittenByOtherCodeAreLeftAsTheyAre() {
    List<StoredImage> twice = List.of(new StoredImage(4, "/p/a.jpg", "", 0, 0, 0),
        new StoredImage(5, "/p/a.jpg", "", 0, 0, 0));
    IngestPlan plan = IngestPlan.of(List.of(file("/p/a.jpg", 10, 5)), twice, null, LIMIT);
    assertEquals(1, plan.unchanged());
    assertEquals(List.of(), plan.strays());
  }

  @Test
  void aNewFileIsWorkWithNothingToReplace() {
    IngestPlan plan = IngestPlan.of(List.of(file("/p/new.jpg", 10, 5)), List.of(), null, LIMIT);
    assertEquals(1, plan.newFiles());
    assertEquals(List.of(), plan.work().get(0).replaces());
    assertNull(plan.work().get(0).storedSha256());
  }

  @Test
  void aChangedMtimeMakesWorkThatReplacesEveryOldRowAndKnowsTheNewestHash() {
    StoredImage older = new StoredImage(1, "/p/a.jpg", "b".repeat(64), 10, 4, 100);
    StoredImage newer = row(2, "/p/a.jpg", 10, 4, 200);
    IngestPlan plan = IngestPlan.of(List.of(file("/p/a.jpg", 10, 9)), List.of(older, newer), null, LIMIT);
    assertEquals(0, plan.newFiles());
    IngestPlan.Work w = plan.work().get(0);
    assertEquals(List.of(2L, 1L), w.replaces(), "newest first");
    assertEquals(SHA, w.storedSha256(), "compared with the newest row's hash");
  }

  @Test
  void duplicateRowsOfAnUnchangedFileAreStraysExceptTheMatchingOne() {
    StoredImage match = row(7, "/p/a.jpg", 10, 5, 100);
    StoredImage dupSame = row(8, "/p/a.jpg", 10, 5, 90);
    StoredImage stale = row(3, "/p/a.jpg", 99, 1, 300);
    IngestPlan plan = IngestPlan.of(List.of(file("/p/a.jpg", 10, 5)), List.of(dupSame, stale, match), null, LIMIT);
    assertEquals(1, plan.unchanged());
    assertEquals(List.of(3L, 8L), plan.strays().stream().sorted().toList());
  }

  @Test
  void aFileOverTheLimitIsAFailureAndIsNotRead() {
    IngestPlan plan = IngestPlan.of(List.of(file("/p/huge.jpg", LIMIT + 1, 5)), List.of(), null, LIMIT);
    assertEquals(List.of(), plan.work());
    assertEquals("/p/huge.jpg", plan.tooLarge().get(0).path());
    assertEquals("file is 1001 bytes, over the 1000-byte limit", plan.tooLarge().get(0).reason());
  }

  @Test
  void pruningFindsRowsOfFilesThatAreGoneAndOnlyThose() {
    List<StoredImage> under = List.of(row(1, "/p/kept.jpg", 1, 1, 1), row(2, "/p/gone.jpg", 1, 1, 1),
        row(3, "/p/sub/gone too.jpg", 1, 1, 1));
    IngestPlan plan = IngestPlan.of(List.of(file("/p/kept.jpg", 1, 1)), under.subList(0, 1), under, LIMIT);
    assertEquals(List.of(2L, 3L), plan.gone().stream().map(StoredImage::id).toList());
    assertEquals(List.of(), IngestPlan.of(List.of(file("/p/kept.jpg", 1, 1)), under.subList(0, 1), null, LIMIT)
        .gone(), "nothing is pruned unless asked");
  }
}
