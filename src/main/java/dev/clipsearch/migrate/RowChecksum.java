package dev.clipsearch.migrate;

import dev.clipsearch.store.SourceCollection;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 over rows in the order given: per row the key (int64, little-endian), the path (UTF-8, then a NUL) and the
 * vector (float32, little-endian). The test's Python snapshot of a collection (src/test/python/tutorial_collection.py)
 * hashes the same bytes in key order, so the two can be compared.
 */
final class RowChecksum {
  private final MessageDigest digest;
  private ByteBuffer buf = ByteBuffer.allocate(8 + 4 * 512).order(ByteOrder.LITTLE_ENDIAN);

  RowChecksum() {
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }

  void add(SourceCollection.Row r) {
    int need = 8 + 4 * r.vector().length;
    if (buf.capacity() < need) {
      buf = ByteBuffer.allocate(need).order(ByteOrder.LITTLE_ENDIAN);
    }
    buf.clear();
    buf.putLong(r.id());
    digest.update(buf.array(), 0, 8);
    digest.update(r.path().getBytes(StandardCharsets.UTF_8));
    digest.update((byte) 0);
    buf.clear();
    for (float f : r.vector()) {
      buf.putFloat(f);
    }
    digest.update(buf.array(), 0, buf.position());
  }

  String hex() {
    return HexFormat.of().formatHex(digest.digest());
  }
}
