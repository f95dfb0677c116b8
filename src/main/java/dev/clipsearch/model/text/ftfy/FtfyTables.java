package dev.clipsearch.model.text.ftfy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * ftfy's data, as {@code models/make_tokenizer_tables.py} exported it into {@code tokenizer_ftfy_tables.tsv}: the
 * single-byte encodings its mojibake repair tries (in order), and its named character sets as code point ranges.
 */
final class FtfyTables {
  /** Encodings in ftfy's order; each maps byte -> character. */
  static final List<Map.Entry<String, char[]>> CHARSETS = new ArrayList<>();
  /** Set name -> flat [first, last, first, last, ...] code point ranges. */
  static final Map<String, int[]> CLASSES = new HashMap<>();

  static {
    String resource = "tokenizer_ftfy_tables.tsv";
    try (InputStream in = FtfyTables.class.getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException("missing classpath resource " + resource);
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line; (line = reader.readLine()) != null; ) {
        if (line.startsWith("#") || line.isEmpty()) continue;
        String[] f = line.split("\t");
        if (f[0].equals("charset")) {
          String[] hex = f[2].split(" ");
          char[] characters = new char[256];
          for (int b = 0; b < 256; b++) characters[b] = (char) Integer.parseInt(hex[b], 16);
          CHARSETS.add(Map.entry(f[1], characters));
        } else {
          String[] spans = f[2].split(" ");
          int[] ranges = new int[spans.length * 2];
          for (int k = 0; k < spans.length; k++) {
            String[] ends = spans[k].split("-");
            ranges[2 * k] = Integer.parseInt(ends[0], 16);
            ranges[2 * k + 1] = Integer.parseInt(ends[1], 16);
          }
          CLASSES.put(f[1], ranges);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private FtfyTables() {}

  static int[] ranges(String name) {
    int[] ranges = CLASSES.get(name);
    if (ranges == null) throw new IllegalStateException("no character set " + name + " in the ftfy tables");
    return ranges;
  }
}
