package dev.clipsearch.store;

/**
 * Told about every call a store makes to its server, for metrics. Called on the caller's thread after the call ends;
 * must be cheap and must not throw. {@code operation} is a fixed word (search, insert, query, count, delete, prepare,
 * ping), never a path or a value, so it is safe as a metric label.
 */
@FunctionalInterface
public interface StoreCallObserver {
  StoreCallObserver NONE = (operation, nanos, ok) -> {};

  void called(String operation, long nanos, boolean ok);
}
