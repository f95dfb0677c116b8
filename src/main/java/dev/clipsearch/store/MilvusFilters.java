package dev.clipsearch.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Builds Milvus boolean filter expressions from untrusted strings (file paths).
 *
 * <p>Why escaping and not the SDK's filter templates ({@code filterTemplateValues}, present in 2.6.22): Milvus Lite 3
 * ignores {@code expr_template_values}, so a templated filter fails to parse there. Escaping works on both servers.
 * The rules are the common subset of Milvus's grammar and Lite's tokenizer (milvus_lite/search/filter/tokens.py):
 * a double-quoted literal may contain any character except a raw {@code "}, {@code \}, CR or LF, and the escapes
 * {@code \" \\ \n \r \t} are understood by both. So a value can never end its literal early or inject syntax.
 */
final class MilvusFilters {
  private MilvusFilters() {}

  /** {@code value} as a double-quoted filter literal. */
  static String quote(String value) {
    StringBuilder sb = new StringBuilder(value.length() + 8).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> sb.append(c);
      }
    }
    return sb.append('"').toString();
  }

  /** {@code field == "value"}. The field name is ours, never user input. */
  static String equalTo(String field, String value) {
    return field + " == " + quote(value);
  }

  /** {@code field in ["a", "b", ...]}; {@code values} must not be empty. */
  static String in(String field, Collection<String> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("an 'in' filter needs at least one value");
    }
    StringBuilder sb = new StringBuilder(field).append(" in [");
    boolean first = true;
    for (String v : values) {
      if (!first) {
        sb.append(", ");
      }
      sb.append(quote(v));
      first = false;
    }
    return sb.append(']').toString();
  }

  /**
   * Rows whose {@code field} starts with {@code prefix}, as a range ({@code >= prefix and < prefix+1}) rather than
   * {@code like "prefix%"}: LIKE treats {@code _} and {@code %} in the prefix as wildcards and Lite 3 has no escape
   * for them (milvus_lite/search/filter/eval/python_backend.py), so "/my_photos/" would also match "/myXphotos/".
   * The range is exact on both servers for any prefix whose last character is not U+FFFF.
   */
  static String startsWith(String field, String prefix) {
    if (prefix.isEmpty()) {
      throw new IllegalArgumentException("an empty prefix matches everything; use no filter");
    }
    char last = prefix.charAt(prefix.length() - 1);
    if (last == Character.MAX_VALUE) {
      throw new IllegalArgumentException("a prefix may not end with U+FFFF");
    }
    String upper = prefix.substring(0, prefix.length() - 1) + (char) (last + 1);
    return field + " >= " + quote(prefix) + " and " + field + " < " + quote(upper);
  }

  /**
   * The filter for a {@link SearchFilter}, or null for none. Labels live in the dynamic field as a JSON array; the
   * path is {@code pathField}, a schema field or a dynamic key (both servers take a dynamic key by its bare name).
   */
  static String of(SearchFilter f, String pathField) {
    if (f == null || f.isNone()) {
      return null;
    }
    String folder = f.folder() == null ? null : startsWith(pathField, f.folderPrefix());
    String label = f.label() == null ? null : "json_contains(" + CollectionSetup.LABELS + ", " + quote(f.label()) + ")";
    return folder == null ? label : label == null ? folder : "(" + folder + ") and " + label;
  }

  /** Splits {@code values} into consecutive lists of at most {@code size}, so one filter never grows unbounded. */
  static <T> List<List<T>> chunks(Collection<T> values, int size) {
    List<List<T>> out = new ArrayList<>();
    List<T> current = new ArrayList<>(Math.min(size, values.size()));
    for (T v : values) {
      current.add(v);
      if (current.size() == size) {
        out.add(current);
        current = new ArrayList<>(size);
      }
    }
    if (!current.isEmpty()) {
      out.add(current);
    }
    return out;
  }
}
