package dev.clipsearch.cli;

import dev.clipsearch.ingest.FolderIngest;

/** A progress bar on a terminal; on a pipe or log file, one line every few seconds instead of a flood. */
final class StderrProgress implements FolderIngest.Progress {
  private static final int WIDTH = 30;
  private final boolean terminal = System.console() != null;
  private final long everyNanos;
  private long lastNanos;

  /** @param everySeconds seconds between lines on a pipe or log file; a terminal bar redraws every 0.1 s */
  StderrProgress(double everySeconds) {
    this.everyNanos = terminal ? 100_000_000L : (long) (everySeconds * 1e9);
  }

  @Override
  public void update(int done, int total, int failed, double seconds) {
    long now = System.nanoTime();
    boolean last = done == total;
    if (!last && now - lastNanos < everyNanos) {
      return;
    }
    lastNanos = now;
    String line = line(done, total, failed, seconds);
    if (terminal) {
      System.err.print("\r" + line + (last ? "\n" : ""));
    } else {
      System.err.println(line);
    }
  }

  /** One progress line: bar, count, rate and the time left at that rate. */
  static String line(int done, int total, int failed, double seconds) {
    int filled = total == 0 ? WIDTH : (int) ((long) WIDTH * done / total);
    double rate = seconds > 0 ? done / seconds : 0.0;
    String eta = done == total ? "done" : rate > 0 ? "ETA " + clock(Math.round((total - done) / rate)) : "ETA --:--";
    return String.format("ingest [%s%s] %d/%d images, %.1f img/s, %s, %d failed",
        "#".repeat(filled), ".".repeat(WIDTH - filled), done, total, rate, eta, failed);
  }

  private static String clock(long seconds) {
    return seconds >= 3600 ? String.format("%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
        : String.format("%d:%02d", seconds / 60, seconds % 60);
  }
}
