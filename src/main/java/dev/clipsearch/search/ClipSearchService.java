package dev.clipsearch.search;

import dev.clipsearch.embedding.ClipEncoder;
import dev.clipsearch.store.Hit;
import dev.clipsearch.store.SearchFilter;
import dev.clipsearch.store.VectorStore;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Search by text or image: encoder, then store. Runs on the caller's thread (a request worker), never on a batcher
 * thread, so a slow Milvus call cannot stall the model.
 */
public final class ClipSearchService implements SearchService {
  /** Paths recently returned by a search: the gallery downloads them next, so skip a store round trip for each. */
  private static final int RECENT_PATHS = 10_000;

  private final ClipEncoder encoder;
  private final VectorStore store;
  private final Set<String> recentlyServed = Collections.newSetFromMap(
      Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > RECENT_PATHS;
        }
      }));

  public ClipSearchService(ClipEncoder encoder, VectorStore store) {
    this.encoder = encoder;
    this.store = store;
  }

  @Override
  public List<Hit> byText(String query, int k) {
    checkK(k);
    return remember(store.search(encoder.encodeText(query), k));
  }

  @Override
  public List<Hit> byText(String query, int k, SearchFilter filter) {
    checkK(k);
    return remember(store.search(encoder.encodeText(query), k, filter == null ? SearchFilter.NONE : filter));
  }

  @Override
  public List<Hit> byImage(byte[] encodedImage, int k) {
    checkK(k);
    return remember(store.search(encoder.encodeImage(encodedImage), k));
  }

  @Override
  public boolean isServable(String path) {
    if (recentlyServed.contains(path)) {
      return true;
    }
    boolean stored = !store.existingPaths(List.of(path)).isEmpty();
    if (stored) {
      recentlyServed.add(path);
    }
    return stored;
  }

  @Override
  public java.util.OptionalLong imageCount() {
    return java.util.OptionalLong.of(store.count());
  }

  private List<Hit> remember(List<Hit> hits) {
    for (Hit hit : hits) {
      recentlyServed.add(hit.path());
    }
    return hits;
  }

  private static void checkK(int k) {
    if (k < 1 || k > MAX_K) {
      throw new IllegalArgumentException("top_k must be between 1 and " + MAX_K + ", got " + k);
    }
  }
}
