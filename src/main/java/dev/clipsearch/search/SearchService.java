package dev.clipsearch.search;

import dev.clipsearch.store.Hit;
import dev.clipsearch.store.SearchFilter;
import java.util.List;

/**
 * Text-to-image and image-to-image search: the only place that composes the CLIP encoder with the vector store.
 * Thread-safe; callers block on their own thread (never on the batcher's).
 */
public interface SearchService {
  /**
   * The k stored images closest to the text.
   *
   * @param query a validated query ({@link Query#text}); @param k a validated k ({@link Query#topK})
   */
  List<Hit> byText(String query, int k);

  /**
   * The k stored images closest to an encoded image (JPEG, PNG, WebP, GIF or BMP bytes).
   *
   * @throws dev.clipsearch.model.image.BadImageException when the bytes are not a decodable image or are too large
   */
  List<Hit> byImage(byte[] encodedImage, int k);

  /**
   * The k stored images closest to the text among those matching {@code filter} (a folder and/or a label). The
   * default serves only the unfiltered case, so implementations that cannot filter keep working unchanged.
   */
  default List<Hit> byText(String query, int k, SearchFilter filter) {
    if (filter == null || filter.isNone()) {
      return byText(query, k);
    }
    throw new UnsupportedOperationException("this search service cannot filter");
  }

  /**
   * The k stored images closest to an encoded image among those matching {@code filter}; as {@link #byText(String,
   * int, SearchFilter)}, the default serves only the unfiltered case.
   */
  default List<Hit> byImage(byte[] encodedImage, int k, SearchFilter filter) {
    if (filter == null || filter.isNone()) {
      return byImage(encodedImage, k);
    }
    throw new UnsupportedOperationException("this search service cannot filter");
  }

  /** Whether {@code path} is a stored image that clients may download (the /file= route serves nothing else). */
  boolean isServable(String path);

  /** How many images are stored, for the web page's header; empty when the implementation cannot say cheaply. */
  default java.util.OptionalLong imageCount() {
    return java.util.OptionalLong.empty();
  }
}
