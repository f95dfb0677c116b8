package dev.clipsearch.embedding;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * LRU cache of query vectors: popular queries ("dog", a demo's example prompts) skip the text tower entirely.
 * Keyed by the exact query string; vectors are shared, so callers must not modify them. Thread-safe (one lock;
 * hits take well under a microsecond).
 */
final class TextVectorCache {
  private final int capacity;
  private final Map<String, float[]> entries;

  TextVectorCache(int capacity) {
    this.capacity = capacity;
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
        return size() > TextVectorCache.this.capacity;
      }
    };
  }

  synchronized float[] get(String query) {
    return capacity == 0 ? null : entries.get(query);
  }

  synchronized void put(String query, float[] vector) {
    if (capacity > 0) {
      entries.put(query, vector);
    }
  }

  synchronized int size() {
    return entries.size();
  }
}
