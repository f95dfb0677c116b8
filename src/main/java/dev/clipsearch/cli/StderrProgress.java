package dev.clipsearch.cli;

import dev.clipsearch.ingest.FolderIngest;

/** A progress bar on a terminal; on a pipe or log file, one line every few seconds instead of a flood. */
final class StderrProgress implements FolderIngest.Progress {
  private static final int WIDTH = 30;
  private final boolean terminal = System.console() != null;
  private final long everyNanos;
  private final String task;
  private final String units;
  private final String unit;
  private final String failedWord;
  private long lastNanos;

  /** @param everySeconds seconds between lines on a pipe or log file; a terminal bar redraws every 0.1 s */
  StderrProgress(double everySeconds) {
    this(everySeconds, "ingest", "images", "img", "failed");
  }

  /**
   * The bar of another task, e.g. ("migrate", "rows", "row", "files gone"):
   * {@code migrate [###...] 10/20 rows, 5.0 row/s, ETA 0:02, 1 files gone}.
   */
  StderrProgress(double everySeconds, String task, String units, String unit, String failedWord) {
    this.everyNanos = terminal ? 100_000_000L : (long) (everySeconds * 1e9);
    this.task = task;
    this.units = units;
    this.unit = unit;
    this.failedWord = failedWord;
  }

  @Override
  public void update(int done, int total, int failed, double seconds) {
    long now = System.nanoTime();
    boolean last = done == total;
    if (!last && now - lastNanos < everyNanos) {
      return;
    }
    lastNanos = now;
    String line = line(task, units, unit, failedWord, done, total, failed, seconds);
    if (terminal) {
      System.err.print("\r" + line + (last ? "\n" : ""));
    } else {
      System.err.println(line);
    }
  }

  /** One progress line: bar, count, rate and the time left at that rate. */
  static String line(int done, int total, int failed, double seconds) {
    return line("ingest", "images", "img", "failed", done, total, failed, seconds);
  }

  static String line(String task, String units, String unit, String failedWord, int done, int total, int failed,
      double seconds) {
    int filled = total == 0 ? WIDTH : (int) ((long) WIDTH * done / total);
    double rate = seconds > 0 ? done / seconds : 0.0;
    String eta = done == total ? "done" : rate > 0 ? "ETA " + clock(Math.round((total - done) / rate)) : "ETA --:--";
    return String.format("%s [%s%s] %d/%d %s, %.1f %s/s, %s, %d %s", task,
        "#".repeat(filled), ".".repeat(WIDTH - filled), done, total, units, rate, unit, eta, failed, failedWord);
  }

  private static String clock(long seconds) {
    return seconds >= 3600 ? String.format("%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
        : String.format("%d:%02d", seconds / 60, seconds % 60);
  }
}
