package dev.clipsearch.migrate;

import dev.clipsearch.testing.StoreTarget;

/** {@link MigrationIT} against a Milvus standalone, the source made there by pymilvus. */
class MigrationServerIT extends MigrationIT {
  @Override
  StoreTarget target() {
    return StoreTarget.STANDALONE;
  }
}
