package dev.clipsearch.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryVectorStoreTest extends VectorStoreContract {
  @Override
  VectorStore open(int dimension) {
    return new InMemoryVectorStore(dimension);
  }

  @Test
  void failWithMakesEveryCallThrowUntilCleared() {
    InMemoryVectorStore s = new InMemoryVectorStore(2);
    s.ensureCollection();
    StoreException down = new StoreException("Milvus is down");
    s.failWith(down);
    assertSame(down, assertThrows(StoreException.class, s::count));
    assertSame(down, assertThrows(StoreException.class, () -> s.search(new float[] {1, 0}, 1)));
    s.failWith(null);
    s.insert(List.of(new ImageRecord("/a", new float[] {1, 0})));
    assertEquals(1, s.count());
  }

  @Test
  void scoresAreCosineSimilarities() {
    InMemoryVectorStore s = new InMemoryVectorStore(2);
    s.ensureCollection();
    s.insert(List.of(new ImageRecord("/x", new float[] {2, 0}), new ImageRecord("/diag", new float[] {1, 1}),
        new ImageRecord("/y", new float[] {0, 3}), new ImageRecord("/minus-x", new float[] {-1, 0})));
    List<Hit> hits = s.search(new float[] {1, 0}, 4);
    assertEquals(List.of("/x", "/diag", "/y", "/minus-x"), hits.stream().map(Hit::path).toList());
    assertEquals(1f, hits.get(0).score(), 1e-6f);
    assertEquals((float) Math.sqrt(0.5), hits.get(1).score(), 1e-6f);
    assertEquals(0f, hits.get(2).score(), 1e-6f);
    assertEquals(-1f, hits.get(3).score(), 1e-6f);
    assertEquals(List.of(1L, 2L, 3L, 4L), hits.stream().map(Hit::id).sorted().toList());
  }
}
