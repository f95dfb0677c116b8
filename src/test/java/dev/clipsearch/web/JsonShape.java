package dev.clipsearch.web;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Compares the shape of two JSON values: the same keys and the same kinds (object, array, string, number, boolean,
 * null) at every path, never the values (ids, timings, temp paths and ports differ by design). Every difference is a
 * line such as {@code $.output.title: missing} or {@code $.rank_eta: number vs null}, so a test can state exactly which
 * deviations from a transcript it accepts and why.
 */
final class JsonShape {
  private JsonShape() {}

  /** Differences between {@code golden} and {@code ours}, descending at most {@code depth} levels (1 = top-level keys). */
  static List<String> diff(JsonNode golden, JsonNode ours, int depth) {
    List<String> out = new ArrayList<>();
    walk("$", golden, ours, depth, out);
    return out;
  }

  static List<String> diff(JsonNode golden, JsonNode ours) {
    return diff(golden, ours, Integer.MAX_VALUE);
  }

  static String kind(JsonNode n) {
    if (n == null || n.isMissingNode()) return "missing";
    if (n.isObject()) return "object";
    if (n.isArray()) return "array";
    if (n.isTextual()) return "string";
    if (n.isNumber()) return "number";
    if (n.isBoolean()) return "boolean";
    if (n.isNull()) return "null";
    return n.getNodeType().toString();
  }

  private static void walk(String path, JsonNode g, JsonNode o, int depth, List<String> out) {
    if (!kind(g).equals(kind(o))) {
      out.add(path + ": " + kind(g) + " vs " + kind(o));
      return;
    }
    if (depth <= 0) {
      return;
    }
    if (g.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = g.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!o.has(e.getKey())) {
          out.add(path + "." + e.getKey() + ": missing");
        } else {
          walk(path + "." + e.getKey(), e.getValue(), o.get(e.getKey()), depth - 1, out);
        }
      }
      for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (!g.has(k)) out.add(path + "." + k + ": extra");
      }
    } else if (g.isArray()) {
      // Element by element up to the shorter length: how many results a search returns is a value, not a shape.
      for (int i = 0; i < Math.min(g.size(), o.size()); i++) {
        walk(path + "[" + i + "]", g.get(i), o.get(i), depth - 1, out);
      }
      if (g.size() > 0 && o.size() == 0) out.add(path + ": empty");
    }
  }
}
