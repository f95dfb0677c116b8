package dev.clipsearch.model.text.ftfy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The two HTML character-reference decoders open_clip's cleaning goes through:
 * <ul>
 *   <li>{@link #unescape}: Python's {@code html.unescape} (HTML5 rules: named references with or without ';',
 *       the longest legacy prefix, numeric references with the WHATWG replacements for invalid numbers).
 *       open_clip applies it twice after ftfy.</li>
 *   <li>{@link #unescapeStrict}: ftfy's own, stricter {@code unescape_html}: only {@code &name;} or {@code &#...;}
 *       with at most 24 ASCII letters/digits, the ';' required; it also accepts all-capital spellings of lower-case
 *       entity names ({@code &EACUTE;} gives 'É').</li>
 * </ul>
 * The entity names come from {@code html5_entities.tsv} (the WHATWG list, as Python ships it).
 */
public final class Html {
  /** name (with its ';' when it has one) -> replacement, exactly as Python's html.entities.html5. */
  private static final Map<String, String> HTML5 = readEntities();
  /** "&name;" -> replacement, the table ftfy derives from HTML5. */
  private static final Map<String, String> STRICT = buildStrictTable();
  private static final int LONGEST_NAME = 32;
  private static final int LONGEST_STRICT_NAME = 24;

  /** WHATWG replacements for numeric references 0x80..0x9F: windows-1252, the five unmapped bytes kept. */
  static final String WINDOWS_1252_HIGH =
      "\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f"
          + "\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178";

  private Html() {}

  /** Python's {@code html.unescape}. */
  public static String unescape(String s) {
    int amp = s.indexOf('&');
    if (amp < 0) return s;
    StringBuilder out = new StringBuilder(s.length());
    int copied = 0;
    for (int i = amp; i >= 0 && i < s.length(); i = s.indexOf('&', i)) {
      int end = referenceEnd(s, i + 1);
      if (end < 0) {
        i++;
        continue;
      }
      out.append(s, copied, i);
      out.append(replaceReference(s.substring(i + 1, end)));
      copied = end;
      i = end;
    }
    return out.append(s, copied, s.length()).toString();
  }

  /** ftfy's {@code unescape_html}: {@code &#?[0-9A-Za-z]{1,24};} replaced only when it is a known reference. */
  static String unescapeStrict(String s) {
    int amp = s.indexOf('&');
    if (amp < 0) return s;
    StringBuilder out = new StringBuilder(s.length());
    int copied = 0;
    for (int i = amp; i >= 0 && i < s.length(); i = s.indexOf('&', i)) {
      int j = i + 1;
      if (j < s.length() && s.charAt(j) == '#') j++;
      int nameStart = j;
      while (j < s.length() && j - nameStart < LONGEST_STRICT_NAME && isAsciiAlnum(s.charAt(j))) j++;
      if (j == nameStart || j >= s.length() || s.charAt(j) != ';') {
        i++;
        continue;
      }
      String reference = s.substring(i, j + 1);
      String replacement = STRICT.get(reference);
      if (replacement == null && reference.startsWith("&#")) {
        String decoded = unescape(reference);
        replacement = decoded.indexOf(';') >= 0 ? reference : decoded;
      }
      out.append(s, copied, i).append(replacement == null ? reference : replacement);
      copied = j + 1;
      i = j + 1;
    }
    return out.append(s, copied, s.length()).toString();
  }

  /**
   * End of the reference body that starts after '&' at {@code from}, or -1. The body is one of
   * {@code #[0-9]+;?}, {@code #[xX][0-9a-fA-F]+;?}, or 1..32 code points other than tab, LF, FF, space, '<', '&',
   * '#', ';', followed by an optional ';'.
   */
  private static int referenceEnd(String s, int from) {
    int n = s.length();
    if (from >= n) return -1;
    int j = from;
    if (s.charAt(j) == '#') {
      j++;
      int digits = j;
      while (j < n && isAsciiDigit(s.charAt(j))) j++;
      if (j == digits && j + 1 < n && (s.charAt(j) == 'x' || s.charAt(j) == 'X')) {
        j++;
        digits = j;
        while (j < n && Character.digit(s.charAt(j), 16) >= 0 && s.charAt(j) < 128) j++;
      }
      if (j == digits) return -1;
    } else {
      int count = 0;
      while (j < n && count < LONGEST_NAME && isNameChar(s.charAt(j))) {
        j += Character.charCount(s.codePointAt(j));
        count++;
      }
      if (count == 0) return -1;
    }
    return j < n && s.charAt(j) == ';' ? j + 1 : j;
  }

  private static String replaceReference(String body) {
    if (body.charAt(0) == '#') return numericReference(body);
    String known = HTML5.get(body);
    if (known != null) return known;
    // the longest known prefix of two or more code points, the rest kept as it is
    int[] ends = body.codePoints().map(Character::charCount).toArray();
    int end = body.length();
    for (int k = ends.length - 1; k >= 2; k--) {
      end -= ends[k];
      String prefix = HTML5.get(body.substring(0, end));
      if (prefix != null) return prefix + body.substring(end);
    }
    return "&" + body;
  }

  private static String numericReference(String body) {
    boolean hex = body.charAt(1) == 'x' || body.charAt(1) == 'X';
    int start = hex ? 2 : 1;
    int end = body.endsWith(";") ? body.length() - 1 : body.length();
    long value = 0;
    for (int k = start; k < end; k++) {
      value = value * (hex ? 16 : 10) + Character.digit(body.charAt(k), hex ? 16 : 10);
      if (value > 0x10FFFF) break; // anything larger is replaced the same way
    }
    int cp = (int) Math.min(value, 0x110000);
    if (cp == 0) return "\uFFFD";
    if (cp == 0x0D) return "\r";
    if (cp >= 0x80 && cp <= 0x9F) return String.valueOf(WINDOWS_1252_HIGH.charAt(cp - 0x80));
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return "\uFFFD";
    if (isInvalidCodePoint(cp)) return "";
    return new String(Character.toChars(cp));
  }

  /** Code points the HTML5 spec drops from numeric references: C0 controls but whitespace, DEL, non-characters. */
  private static boolean isInvalidCodePoint(int cp) {
    return (cp >= 0x01 && cp <= 0x08) || cp == 0x0B || (cp >= 0x0E && cp <= 0x1F) || cp == 0x7F
        || (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
  }

  private static boolean isNameChar(char c) {
    return c != '\t' && c != '\n' && c != '\f' && c != ' ' && c != '<' && c != '&' && c != '#' && c != ';';
  }

  private static boolean isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isAsciiAlnum(char c) {
    return isAsciiDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  /**
   * ftfy's table: every name that ends in ';', plus, for each all-lower-case name, its all-capitals spelling
   * mapped to the upper-cased character, unless html.unescape would already read that spelling as something.
   */
  private static Map<String, String> buildStrictTable() {
    Map<String, String> table = new HashMap<>();
    for (Map.Entry<String, String> e : HTML5.entrySet()) {
      String name = e.getKey();
      if (!name.endsWith(";")) continue;
      table.put("&" + name, e.getValue());
    }
    for (Map.Entry<String, String> e : HTML5.entrySet()) {
      String name = e.getKey();
      if (!name.endsWith(";") || !name.equals(name.toLowerCase(Locale.ROOT))) continue;
      String upperName = name.toUpperCase(Locale.ROOT);
      if (!isNamedReference(upperName)) table.putIfAbsent("&" + upperName, e.getValue().toUpperCase(Locale.ROOT));
    }
    return table;
  }

  /** Whether html.unescape reads "&" + body (an ASCII name) as a reference: the name or a 2+ prefix is known. */
  private static boolean isNamedReference(String body) {
    for (int end = body.length(); end >= 2; end--) if (HTML5.containsKey(body.substring(0, end))) return true;
    return false;
  }

  private static Map<String, String> readEntities() {
    String resource = "html5_entities.tsv";
    Map<String, String> entities = new HashMap<>(4096);
    try (InputStream in = Html.class.getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException("missing classpath resource " + resource);
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line; (line = reader.readLine()) != null; ) {
        int tab = line.indexOf('\t');
        StringBuilder value = new StringBuilder(2);
        for (String hex : line.substring(tab + 1).split(" ")) value.appendCodePoint(Integer.parseInt(hex, 16));
        entities.put(line.substring(0, tab), value.toString());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return entities;
  }
}
