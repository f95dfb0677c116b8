package dev.clipsearch.model.text.unicode;

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
 * Classifies code points the way open_clip's pre-split pattern sees them. The pattern is compiled by the Python
 * {@code regex} module with IGNORECASE, so:
 * <ul>
 *   <li>{@code \p{L}} and {@code \p{N}} follow the regex module's Unicode tables, which are newer than Java 17's
 *       (Unicode 13). Letters and digits added later are read from {@code tokenizer_unicode_extra.tsv}, made by
 *       {@code models/make_tokenizer_tables.py}.</li>
 *   <li>U+0345 COMBINING GREEK YPOGEGRAMMENI case-folds to a Greek letter, so under IGNORECASE it is neither
 *       matched by {@code [\p{L}]} nor by {@code [^\s\p{L}\p{N}]}: the pattern skips it like a space.</li>
 *   <li>Whitespace is Python's {@code str.isspace()} set; the cleaner has already collapsed it to single spaces.</li>
 * </ul>
 */
public final class PythonCharClass {
  public static final byte OTHER = 0;
  public static final byte LETTER = 1;
  public static final byte NUMBER = 2;
  /** Matched by no alternative of the pattern: whitespace, and U+0345 (see the class comment). */
  public static final byte SKIPPED = 3;

  private static final byte[] ASCII = new byte[128];
  /** Sorted, disjoint [first, last] ranges of letters/numbers unknown to Java 17, with their class. */
  private static final int[] EXTRA_FIRST;
  private static final int[] EXTRA_LAST;
  private static final byte[] EXTRA_CLASS;
  /** Lower case of code points Java 17 does not know but Python 3.11 (Unicode 14) lower-cases. */
  private static final Map<Integer, String> EXTRA_LOWER = new HashMap<>();
  /** Smallest key of EXTRA_LOWER: text below it needs no look-up. */
  private static final int FIRST_EXTRA_LOWER;

  static {
    for (int c = 0; c < 128; c++) ASCII[c] = classifyByJava(c);
    List<int[]> rows = readExtraTable(EXTRA_LOWER);
    FIRST_EXTRA_LOWER = EXTRA_LOWER.keySet().stream().mapToInt(Integer::intValue).min().orElse(Integer.MAX_VALUE);
    rows.sort((a, b) -> Integer.compare(a[0], b[0]));
    EXTRA_FIRST = new int[rows.size()];
    EXTRA_LAST = new int[rows.size()];
    EXTRA_CLASS = new byte[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      EXTRA_FIRST[i] = rows.get(i)[0];
      EXTRA_LAST[i] = rows.get(i)[1];
      EXTRA_CLASS[i] = (byte) rows.get(i)[2];
    }
  }

  private PythonCharClass() {}

  public static byte of(int cp) {
    if (cp < 128) return ASCII[cp];
    byte byJava = classifyByJava(cp);
    if (byJava == OTHER && Character.getType(cp) == Character.UNASSIGNED) return extra(cp);
    return byJava;
  }

  /** Python's str.isspace(): Unicode White_Space plus the bidi separators U+001C..U+001F. */
  public static boolean isPythonSpace(int cp) {
    if (cp <= 0x20) return cp == 0x20 || (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x1F);
    if (cp < 0x85) return false;
    return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A)
        || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
  }

  /** Applies the lower-case mappings Java 17 lacks, after {@code String.toLowerCase}. */
  public static String lowerNewerLetters(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      int width = Character.charCount(cp);
      String lower = cp >= FIRST_EXTRA_LOWER ? EXTRA_LOWER.get(cp) : null;
      if (lower != null && out == null) out = new StringBuilder(text.length()).append(text, 0, i);
      if (out != null) {
        if (lower != null) out.append(lower);
        else out.appendCodePoint(cp);
      }
      i += width;
    }
    return out == null ? text : out.toString();
  }

  private static byte classifyByJava(int cp) {
    if (isPythonSpace(cp) || cp == 0x0345) return SKIPPED;
    switch (Character.getType(cp)) {
      case Character.UPPERCASE_LETTER:
      case Character.LOWERCASE_LETTER:
      case Character.TITLECASE_LETTER:
      case Character.MODIFIER_LETTER:
      case Character.OTHER_LETTER:
        return LETTER;
      case Character.DECIMAL_DIGIT_NUMBER:
      case Character.LETTER_NUMBER:
      case Character.OTHER_NUMBER:
        return NUMBER;
      default:
        return OTHER;
    }
  }

  private static byte extra(int cp) {
    int lo = 0, hi = EXTRA_FIRST.length - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (cp < EXTRA_FIRST[mid]) hi = mid - 1;
      else if (cp > EXTRA_LAST[mid]) lo = mid + 1;
      else return EXTRA_CLASS[mid];
    }
    return OTHER;
  }

  /** Reads the letter/number ranges (returned) and the lower-case mappings (into {@code lower}). */
  private static List<int[]> readExtraTable(Map<Integer, String> lower) {
    String resource = "tokenizer_unicode_extra.tsv";
    List<int[]> rows = new ArrayList<>();
    try (InputStream in = PythonCharClass.class.getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException("missing classpath resource " + resource);
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line; (line = reader.readLine()) != null; ) {
        if (line.isEmpty() || line.startsWith("#")) continue;
        String[] f = line.split("\t");
        if (f[0].equals("lower")) {
          StringBuilder mapped = new StringBuilder(2);
          for (String hex : f[2].split(" ")) mapped.appendCodePoint(Integer.parseInt(hex, 16));
          lower.put(Integer.parseInt(f[1], 16), mapped.toString());
          continue;
        }
        byte kind = f[0].equals("L") ? LETTER : NUMBER;
        rows.add(new int[] {Integer.parseInt(f[1], 16), Integer.parseInt(f[2], 16), kind});
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }
}
