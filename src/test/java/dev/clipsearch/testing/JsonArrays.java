package dev.clipsearch.testing;

import com.fasterxml.jackson.databind.JsonNode;

/** Numeric JSON arrays of golden files (token ids, vectors) as Java arrays. */
public final class JsonArrays {
  private JsonArrays() {}

  public static int[] ints(JsonNode a) {
    int[] out = new int[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).asInt();
    }
    return out;
  }

  public static float[] floats(JsonNode a) {
    float[] out = new float[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) a.get(i).asDouble();
    }
    return out;
  }
}
