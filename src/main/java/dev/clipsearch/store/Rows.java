package dev.clipsearch.store;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * Client-side checks and encoding of rows. Checked before sending because Lite reports schema violations with an
 * error code the SDK cannot decode, losing the reason (docs/storage.md, "Lite quirks", 2): we say what is wrong
 * instead.
 */
final class Rows {
  private Rows() {}

  /**
   * The insert row for {@code r}: vector, path, metadata and labels (the id is assigned by Milvus). In a collection
   * made by other code the keys its schema lacks land in its dynamic field.
   */
  static JsonObject json(ImageRecord r, StoreOptions o, CollectionShape shape) {
    checkPath(r.path(), o, shape.pathMaxLength());
    checkVector(r.vector(), r.path(), o);
    JsonArray v = new JsonArray(r.vector().length);
    for (float f : r.vector()) {
      v.add(f);
    }
    JsonObject row = new JsonObject();
    row.add(shape.vector(), v);
    row.addProperty(shape.path(), r.path());
    if (!r.sha256().isEmpty() && !r.sha256().matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("sha256 of " + r.path() + " is not 64 lower-case hex digits: " + r.sha256());
    }
    row.addProperty(CollectionSetup.SHA256, r.sha256());
    row.addProperty(CollectionSetup.WIDTH, r.width());
    row.addProperty(CollectionSetup.HEIGHT, r.height());
    row.addProperty(CollectionSetup.SIZE, r.sizeBytes());
    row.addProperty(CollectionSetup.MTIME, r.mtimeMs());
    row.addProperty(CollectionSetup.INGESTED_AT, r.ingestedAt());
    JsonArray labels = new JsonArray(r.labels().size());
    r.labels().forEach(labels::add);
    row.add(CollectionSetup.LABELS, labels); // dynamic field
    row.addProperty(CollectionSetup.CAPTION, r.caption()); // dynamic field
    return row;
  }

  static void checkPath(String path, StoreOptions o, int pathMaxLength) {
    if (path == null || path.isEmpty()) {
      throw new IllegalArgumentException("an image path must not be empty");
    }
    int len = utf8Length(path);
    if (len > pathMaxLength) {
      throw new IllegalArgumentException("path is " + len + " bytes long, collection " + o.collection()
          + " stores at most " + pathMaxLength + ": " + path.substring(0, Math.min(80, path.length())) + "...");
    }
  }

  static void checkVector(float[] v, String what, StoreOptions o) {
    if (v == null || v.length != o.dimension()) {
      throw new IllegalArgumentException("vector for " + what + " has " + (v == null ? "no" : v.length)
          + " dimensions, collection " + o.collection() + " needs " + o.dimension());
    }
    for (float f : v) {
      if (!Float.isFinite(f)) {
        throw new IllegalArgumentException("vector for " + what + " contains " + f);
      }
    }
  }

  static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
