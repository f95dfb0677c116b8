package dev.clipsearch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class StderrProgressTest {
  @Test
  void lineShowsCountRateAndTheTimeLeftAtThatRate() {
    assertEquals("ingest [#######.......................] 250/1000 images, 50.0 img/s, ETA 0:15, 2 failed",
        StderrProgress.line(250, 1000, 2, 5.0));
  }

  @Test
  void longRunsShowHoursAndAFinishedRunSaysDone() {
    assertEquals("ingest [..............................] 10/100000 images, 2.0 img/s, ETA 13:53:15, 0 failed",
        StderrProgress.line(10, 100_000, 0, 5.0));
    assertEquals("ingest [##############################] 4/4 images, 4.0 img/s, done, 0 failed",
        StderrProgress.line(4, 4, 0, 1.0));
  }

  @Test
  void noRateYetGivesNoEstimate() {
    assertEquals("ingest [..............................] 0/8 images, 0.0 img/s, ETA --:--, 0 failed",
        StderrProgress.line(0, 8, 0, 0.0));
  }

  @Test
  void migrateCountsRowsAndTheFilesThatAreGone() {
    assertEquals("migrate [###############...............] 5000/10000 rows, 1000.0 row/s, ETA 0:05, 3 files gone",
        StderrProgress.line("migrate", "rows", "row", "files gone", 5000, 10_000, 3, 5.0));
  }
}
