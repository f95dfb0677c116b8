package dev.clipsearch.model.text.ftfy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ftfy 6.3's {@code fix_encoding}: finds mojibake (UTF-8 bytes that were decoded in a single-byte encoding, e.g.
 * "cafÃ©" for "café") and decodes it back. The same procedure, step for step:
 * <ol>
 *   <li>Nothing to do for pure ASCII, or when the badness heuristic finds no tell-tale sequence ({@link #isBad}).</li>
 *   <li>For each single-byte encoding ftfy tries, in its order (Latin-1, windows-1252, -1251, -1250, -1253, -1254,
 *       -1257 in ftfy's "sloppy" form, ISO-8859-2, MacRoman, CP437): when every character of the text exists in it,
 *       encode; put back NBSPs that became spaces (not for MacRoman); for the sloppy encodings turn the marks of
 *       lost characters into U+FFFD; decode as UTF-8 (also accepting CESU-8 surrogate pairs and C0 80); the first
 *       that decodes wins.</li>
 *   <li>Else fix embedded UTF-8 runs one by one ({@code decode_inconsistent_utf8}); else, if the text is Latin-1,
 *       read it as windows-1252; else map C1 controls through windows-1252.</li>
 * </ol>
 * Repeated until the text stops changing. The encodings and the character sets the heuristic names are ftfy's
 * own, exported by {@code models/make_tokenizer_tables.py} into {@code tokenizer_ftfy_tables.tsv}; the patterns
 * below are the ones ftfy's {@code chardata.py} and {@code fixes.py} describe, rewritten for java.util.regex. The
 * badness heuristic is {@link Badness}.
 */
final class Mojibake {
  /**
   * Runs that look like UTF-8 read in a single-byte encoding, not preceded by a continuation-looking character
   * (so a few characters inside a large garble are not "fixed" into something worse).
   */
  private static final Pattern UTF8_DETECTOR = Pattern.compile(expand(
      "(?<![{utf8_continuation_strict}])(?:[{utf8_first_of_2}][{utf8_continuation}]"
          + "|[{utf8_first_of_3}][{utf8_continuation}]{2}|[{utf8_first_of_4}][{utf8_continuation}]{3})+"));

  // Byte-level patterns, applied to byte strings held as Latin-1 strings (one char per byte).
  /** UTF-8 sequences in which a 0xA0 byte (NBSP) seems to have become 0x20. */
  private static final Pattern ALTERED_UTF8 = Pattern.compile(
      "[\\xc2\\xc3\\xc5\\xce\\xd0\\xd9] "
          + "|[\\xe2\\xe3] [\\x80-\\x84\\x86-\\x9f\\xa1-\\xbf]"
          + "|[\\xe0-\\xe3][\\x80-\\x84\\x86-\\x9f\\xa1-\\xbf] "
          + "|\\xf0 [\\x80-\\xbf][\\x80-\\xbf]|\\xf0[\\x80-\\xbf] [\\x80-\\xbf]|\\xf0[\\x80-\\xbf][\\x80-\\xbf] ");
  /** "Ã " for "à " before a word, except where Portuguese/Catalan words make it likely real. */
  private static final Pattern A_GRAVE_WORD = Pattern.compile("\\xc3 (?! |quele|quela|quilo|s )");
  /** UTF-8 sequences with a byte lost to '?' or to the 0x1A mark of an unmappable character. */
  private static final Pattern LOSSY_UTF8 = Pattern.compile(
      "[\\xc2-\\xdf][\\x1a]"
          + "|[\\xc2-\\xc3][?]"
          + "|\\xed[\\xa0-\\xaf][\\x1a?]\\xed[\\xb0-\\xbf][\\x1a?\\x80-\\xbf]"
          + "|\\xed[\\xa0-\\xaf][\\x1a?\\x80-\\xbf]\\xed[\\xb0-\\xbf][\\x1a?]"
          + "|[\\xe0-\\xef][\\x1a?][\\x1a\\x80-\\xbf]"
          + "|[\\xe0-\\xef][\\x1a\\x80-\\xbf][\\x1a?]"
          + "|[\\xf0-\\xf4][\\x1a?][\\x1a\\x80-\\xbf][\\x1a\\x80-\\xbf]"
          + "|[\\xf0-\\xf4][\\x1a\\x80-\\xbf][\\x1a?][\\x1a\\x80-\\xbf]"
          + "|[\\xf0-\\xf4][\\x1a\\x80-\\xbf][\\x1a\\x80-\\xbf][\\x1a?]"
          + "|\\x1a");
  private static final String REPLACEMENT_UTF8 = "\u00ef\u00bf\u00bd"; // U+FFFD's bytes, as Latin-1

  private static final List<Charset> CHARSETS = new ArrayList<>();

  static {
    for (Map.Entry<String, char[]> e : FtfyTables.CHARSETS) CHARSETS.add(new Charset(e.getKey(), e.getValue()));
  }

  private Mojibake() {}

  static String fixEncoding(String text) {
    while (true) {
      String fixed = fixOneStep(text);
      if (fixed.equals(text)) return fixed;
      text = fixed;
    }
  }

  static boolean isBad(String text) {
    return Badness.isBad(text);
  }

  private static String fixOneStep(String text) {
    if (text.isEmpty() || isAscii(text) || !isBad(text)) return text;
    boolean latin1Possible = false;
    for (Charset charset : CHARSETS) {
      if (!charset.canEncode(text)) continue;
      if (charset.name.equals("latin-1")) latin1Possible = true;
      String bytes = charset.encode(text);
      if (!charset.name.equals("macroman") && ALTERED_UTF8.matcher(bytes).find()) bytes = restoreByteA0(bytes);
      if (charset.name.startsWith("sloppy")) bytes = LOSSY_UTF8.matcher(bytes).replaceAll(REPLACEMENT_UTF8);
      String decoded = decodeUtf8Variants(bytes);
      if (decoded != null) return decoded;
    }
    if (UTF8_DETECTOR.matcher(text).find()) {
      String fixed = decodeInconsistentUtf8(text);
      if (!fixed.equals(text)) return fixed;
    }
    if (latin1Possible) {
      // ftfy asks whether "windows-1252" (not the sloppy form) was possible, which it never lists: so Latin-1
      // text is always re-read as strict windows-1252, and kept when a byte has no character there
      String asWindows1252 = latin1AsWindows1252(text);
      if (asWindows1252 != null && !asWindows1252.equals(text)) return asWindows1252;
    }
    String c1Fixed = Ftfy.fixC1Controls(text);
    return c1Fixed;
  }

  /** Fixes each UTF-8-looking run on its own, when it is bad and is not the whole text. */
  private static String decodeInconsistentUtf8(String text) {
    Matcher m = UTF8_DETECTOR.matcher(text);
    StringBuilder out = new StringBuilder(text.length());
    int copied = 0;
    while (m.find()) {
      String run = m.group();
      String replacement = run.length() < text.length() && isBad(run) ? fixEncoding(run) : run;
      out.append(text, copied, m.start()).append(replacement);
      copied = m.end();
    }
    return out.append(text, copied, text.length()).toString();
  }

  /** "Ã " before a word becomes "à ", then a space inside a UTF-8 sequence becomes the 0xA0 it was. */
  private static String restoreByteA0(String bytes) {
    bytes = A_GRAVE_WORD.matcher(bytes).replaceAll("\u00c3\u00a0 ");
    Matcher m = ALTERED_UTF8.matcher(bytes);
    StringBuilder out = new StringBuilder(bytes.length());
    int copied = 0;
    while (m.find()) {
      out.append(bytes, copied, m.start()).append(m.group().replace(' ', '\u00a0'));
      copied = m.end();
    }
    return out.append(bytes, copied, bytes.length()).toString();
  }

  /** Strict windows-1252 reading of Latin-1 text; null when a character is one of its five undefined bytes. */
  private static String latin1AsWindows1252(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= 0x80 && c <= 0x9F) {
        if (c == 0x81 || c == 0x8D || c == 0x8F || c == 0x90 || c == 0x9D) return null;
        out.append(Html.WINDOWS_1252_HIGH.charAt(c - 0x80));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * Strict UTF-8 of a byte string held as Latin-1, plus ftfy's "utf-8-variants": C0 80 for U+0000 and CESU-8
   * surrogate pairs. Null when the bytes are not valid.
   */
  static String decodeUtf8Variants(String bytes) {
    StringBuilder out = new StringBuilder(bytes.length());
    int n = bytes.length();
    for (int i = 0; i < n; ) {
      int b0 = bytes.charAt(i);
      if (b0 < 0x80) {
        out.append((char) b0);
        i++;
        continue;
      }
      if (b0 == 0xC0 && i + 1 < n && bytes.charAt(i + 1) == 0x80) {
        out.append('\u0000');
        i += 2;
        continue;
      }
      if (b0 == 0xED && i + 5 < n && inRange(bytes.charAt(i + 1), 0xA0, 0xAF) && isContinuation(bytes.charAt(i + 2))
          && bytes.charAt(i + 3) == 0xED && inRange(bytes.charAt(i + 4), 0xB0, 0xBF)
          && isContinuation(bytes.charAt(i + 5))) {
        char high = (char) (0xD000 | ((bytes.charAt(i + 1) & 0x3F) << 6) | (bytes.charAt(i + 2) & 0x3F));
        char low = (char) (0xD000 | ((bytes.charAt(i + 4) & 0x3F) << 6) | (bytes.charAt(i + 5) & 0x3F));
        out.append(high).append(low);
        i += 6;
        continue;
      }
      int length, min, lo = 0x80, hi = 0xBF;
      if (b0 >= 0xC2 && b0 <= 0xDF) {
        length = 2;
        min = 0x80;
      } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        length = 3;
        min = 0x800;
        if (b0 == 0xE0) lo = 0xA0;
        if (b0 == 0xED) hi = 0x9F; // no surrogates
      } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        length = 4;
        min = 0x10000;
        if (b0 == 0xF0) lo = 0x90;
        if (b0 == 0xF4) hi = 0x8F;
      } else {
        return null;
      }
      if (i + length > n || !inRange(bytes.charAt(i + 1), lo, hi)) return null;
      int cp = b0 & (0xFF >> (length + 1));
      for (int k = 1; k < length; k++) {
        int b = bytes.charAt(i + k);
        if (!isContinuation(b)) return null;
        cp = (cp << 6) | (b & 0x3F);
      }
      if (cp < min) return null;
      out.appendCodePoint(cp);
      i += length;
    }
    return out.toString();
  }

  private static boolean isContinuation(int b) {
    return b >= 0x80 && b <= 0xBF;
  }

  private static boolean inRange(int b, int lo, int hi) {
    return b >= lo && b <= hi;
  }

  private static boolean isAscii(String text) {
    for (int i = 0; i < text.length(); i++) if (text.charAt(i) >= 0x80) return false;
    return true;
  }

  /** Replaces each {name} with the ranges of that character set, for use inside [...]. */
  private static String expand(String template) {
    Matcher m = Pattern.compile("\\{([a-z][a-z_0-9]*)\\}").matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      StringBuilder ranges = new StringBuilder();
      int[] spans = FtfyTables.ranges(name);
      for (int k = 0; k < spans.length; k += 2) ranges.append(String.format("\\x{%x}-\\x{%x}", spans[k], spans[k + 1]));
      m.appendReplacement(out, Matcher.quoteReplacement(ranges.toString()));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** A single-byte encoding as ftfy uses it: byte -> character, and back. */
  private static final class Charset {
    final String name;
    final Map<Character, Character> toByte = new HashMap<>(512);

    Charset(String name, char[] characters) {
      this.name = name;
      for (int b = 0; b < 256; b++) toByte.put(characters[b], (char) b);
    }

    /** ftfy's possible_encoding: ASCII except 0x1A, or the character of a byte 0x80..0xFF or 0x1A. */
    boolean canEncode(String text) {
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c < 0x80 && c != 0x1A) continue;
        Character b = toByte.get(c);
        if (b == null || (b < 0x80 && b != 0x1A)) return false;
      }
      return true;
    }

    String encode(String text) {
      char[] bytes = new char[text.length()];
      for (int i = 0; i < bytes.length; i++) bytes[i] = toByte.get(text.charAt(i));
      return new String(bytes);
    }
  }
}
