package dev.clipsearch.store;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * Client-side checks and encoding of rows. Checked before sending because Lite reports schema violations with an
 * error code the SDK cannot decode, losing the reason (shared/docs/milvus.md §3.4 #2): we say what is wrong instead.
 */
final class Rows {
  private Rows() {}

  /** The insert row for {@code r}: {@code {"vector": [...], "filepath": "..."}} (the id is assigned by Milvus). */
  static JsonObject json(ImageRecord r, StoreOptions o, int pathMaxLength) {
    checkPath(r.path(), o, pathMaxLength);
    checkVector(r.vector(), r.path(), o);
    JsonArray v = new JsonArray(r.vector().length);
    for (float f : r.vector()) {
      v.add(f);
    }
    JsonObject row = new JsonObject();
    row.add(CollectionSetup.VECTOR, v);
    row.addProperty(CollectionSetup.PATH, r.path());
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
