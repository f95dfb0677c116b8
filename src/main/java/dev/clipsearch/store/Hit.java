package dev.clipsearch.store;

/**
 * One search result: the stored file path, its cosine similarity to the query (higher is closer), and the caption
 * stored with it ("" when none was given).
 */
public record Hit(long id, String path, float score, String caption) {
  public Hit {
    caption = caption == null ? "" : caption;
  }

  /** A result without a caption. */
  public Hit(long id, String path, float score) {
    this(id, path, score, "");
  }
}
