package dev.clipsearch.ingest;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a background folder ingest stands ({@code serve --images DIR}), as /readyz and the web page show it.
 *
 * @param state {@link State}
 * @param done images processed so far (stored or failed); {@code total} is how many need it (unchanged files do not)
 * @param seconds since the ingest started
 * @param error why it failed ({@link State#FAILED}), else ""
 */
public record IngestProgress(State state, String folder, int done, int total, int failed, double seconds,
    String error) {
  /** The life of one background ingest. */
  public enum State {
    /** listing the folder and asking the store what it holds; {@code total} is not known yet */
    SCANNING,
    /** embedding and storing */
    RUNNING,
    /** every file was seen */
    DONE,
    /** stopped early (the server is shutting down); what was done is stored */
    STOPPED,
    /** stopped by an error (see {@code error}); what was done is stored */
    FAILED
  }

  /** Images per second so far (0 before the first). */
  public double imagesPerSecond() {
    return seconds > 0 ? done / seconds : 0;
  }

  /** Seconds left at the rate so far, or -1 while unknown (scanning, or nothing processed yet). */
  public long etaSeconds() {
    double rate = imagesPerSecond();
    if (state == State.DONE) {
      return 0;
    }
    return state == State.RUNNING && rate > 0 ? Math.round((total - done) / rate) : -1;
  }

  /** The JSON shape of /readyz's and /gradio_api/collection's {@code ingest} member. */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("state", state.name().toLowerCase(java.util.Locale.ROOT));
    m.put("folder", folder);
    m.put("done", done);
    m.put("total", total);
    m.put("failed", failed);
    m.put("seconds", Math.round(seconds * 10) / 10.0);
    m.put("images_per_second", Math.round(imagesPerSecond() * 10) / 10.0);
    long eta = etaSeconds();
    m.put("eta_seconds", eta < 0 ? null : eta);
    if (!error.isEmpty()) {
      m.put("error", error);
    }
    return m;
  }
}
