package dev.clipsearch.search;

import java.util.Locale;

/**
 * What a search may ask, declared once and checked once where a request enters: the Gradio/HTTP endpoints and the
 * CLI. The services below trust what they are given. The messages are the ones users see (Gradio clients show them as
 * the event's error; the CLI prints them after "error: ").
 */
public final class Query {
  /** Longer queries are refused rather than silently cut (CLIP reads 77 tokens at most). */
  public static final int MAX_CHARS = 1000;
  /** The most results one search returns: the UI slider's maximum, the API's and the CLI's limit alike. */
  public static final int MAX_K = 50;
  public static final int DEFAULT_K = 10;

  private Query() {}

  /** @return the query without surrounding white space */
  public static String text(String raw) {
    String q = raw == null ? "" : raw.strip();
    if (q.isEmpty()) {
      throw new IllegalArgumentException("Please enter a search query.");
    }
    if (q.length() > MAX_CHARS) {
      throw new IllegalArgumentException(
          "The query is too long (" + q.length() + " characters; the limit is " + MAX_CHARS + ").");
    }
    return q;
  }

  /** @param k a whole number (a JSON slider value may arrive as 2.0) */
  public static int topK(double k) {
    if (k < 1 || k > MAX_K) {
      String shown = k == Math.rint(k) && Math.abs(k) < 1e15 ? Long.toString((long) k) : String.format(Locale.ROOT, "%s", k);
      throw new IllegalArgumentException("Top K must be between 1 and " + MAX_K + ", got " + shown + ".");
    }
    return (int) k;
  }
}
