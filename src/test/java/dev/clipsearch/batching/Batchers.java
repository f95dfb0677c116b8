package dev.clipsearch.batching;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.function.Function;

/** Batchers for tests: a whole-batch function, one batch in flight, meters in a registry of their own. */
final class Batchers {
  private Batchers() {}

  static <I, O> Batcher<I, O> of(String name, BatchPolicy policy, int queueCapacity, Function<List<I>, List<O>> fn) {
    return new Batcher<>(name, policy, queueCapacity, 1, BatchKernel.of(1, fn), new SimpleMeterRegistry());
  }
}
