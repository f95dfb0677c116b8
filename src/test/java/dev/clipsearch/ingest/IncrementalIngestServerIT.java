package dev.clipsearch.ingest;

import dev.clipsearch.testing.StoreTarget;

/** {@link IncrementalIngestIT}'s steps against a Milvus standalone (its own collection on the run's server). */
class IncrementalIngestServerIT extends IncrementalIngestIT {
  @Override
  StoreTarget target() {
    return StoreTarget.STANDALONE;
  }
}
