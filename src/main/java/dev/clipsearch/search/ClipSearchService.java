package dev.clipsearch.search;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.clipsearch.embedding.ClipEncoder;
import dev.clipsearch.store.Hit;
import dev.clipsearch.store.SearchFilter;
import dev.clipsearch.store.VectorStore;
import java.util.List;

/**
 * Search by text or image: encoder, then store. Runs on the caller's thread (a request worker), never on a batcher
 * thread, so a slow Milvus call cannot stall the model. Queries and k come validated ({@link Query}). One instance
 * serves the whole process: the web server's /file= authorisation reads the paths it remembers.
 */
public final class ClipSearchService implements SearchService {
  /** Paths recently returned by a search: the gallery downloads them next, so skip a store round trip for each. */
  private static final int RECENT_PATHS = 10_000;

  private final ClipEncoder encoder;
  private final VectorStore store;
  private final Cache<String, Boolean> recentlyServed =
      Caffeine.newBuilder().maximumSize(RECENT_PATHS).executor(Runnable::run).build();

  public ClipSearchService(ClipEncoder encoder, VectorStore store) {
    this.encoder = encoder;
    this.store = store;
  }

  @Override
  public List<Hit> byText(String query, int k) {
    return remember(store.search(encoder.encodeText(query), k));
  }

  @Override
  public List<Hit> byText(String query, int k, SearchFilter filter) {
    return remember(store.search(encoder.encodeText(query), k, filter == null ? SearchFilter.NONE : filter));
  }

  @Override
  public List<Hit> byImage(byte[] encodedImage, int k) {
    return remember(store.search(encoder.encodeImage(encodedImage), k));
  }

  @Override
  public List<Hit> byImage(byte[] encodedImage, int k, SearchFilter filter) {
    return remember(store.search(encoder.encodeImage(encodedImage), k, filter == null ? SearchFilter.NONE : filter));
  }

  @Override
  public boolean isServable(String path) {
    if (recentlyServed.getIfPresent(path) != null) {
      return true;
    }
    boolean stored = !store.existingPaths(List.of(path)).isEmpty();
    if (stored) {
      recentlyServed.put(path, Boolean.TRUE);
    }
    return stored;
  }

  @Override
  public java.util.OptionalLong imageCount() {
    return java.util.OptionalLong.of(store.count());
  }

  private List<Hit> remember(List<Hit> hits) {
    for (Hit hit : hits) {
      recentlyServed.put(hit.path(), Boolean.TRUE);
    }
    return hits;
  }
}
