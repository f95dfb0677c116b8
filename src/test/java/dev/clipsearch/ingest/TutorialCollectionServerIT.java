package dev.clipsearch.ingest;

import dev.clipsearch.testing.StoreTarget;

/** {@link TutorialCollectionIT}'s steps against a Milvus standalone, the collections made there by pymilvus. */
class TutorialCollectionServerIT extends TutorialCollectionIT {
  @Override
  StoreTarget target() {
    return StoreTarget.STANDALONE;
  }
}
