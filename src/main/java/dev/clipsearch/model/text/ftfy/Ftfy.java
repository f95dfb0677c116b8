package dev.clipsearch.model.text.ftfy;

import java.text.Normalizer;

/**
 * The part of {@code ftfy.fix_text} (ftfy 6.3, default settings) that open_clip's cleaning depends on.
 *
 * <p>Like ftfy, the text is fixed line by line (each segment ends after a '\n'), and each segment goes through the
 * fixes below in ftfy's order, again and again until a pass changes nothing:
 * HTML entities (ftfy's strict form, and only until a segment containing '<' has been seen, since then the text
 * may be HTML), mojibake ({@link Mojibake}), C1 controls read as windows-1252, Latin ligatures split,
 * full-width/half-width forms to their normal width, curly quotes straightened (ftfy's default
 * {@code uncurl_quotes=True}), line breaks to '\n', lone surrogates to U+FFFD, ANSI terminal escapes removed,
 * control characters removed, and NFC normalisation.
 *
 * <p>A line longer than 1,000,000 code points is cut into segments of that length, as ftfy does (it bounds
 * ftfy's work; a mojibake sequence across such a cut stays unfixed in both).
 */
public final class Ftfy {
  private static final char FIRST_WIDTH_FORM = '\uFF01';
  private static final char LAST_WIDTH_FORM = '\uFFEF';
  /** NFKC of U+FF01..U+FFEF where it differs (ftfy's width map); null where the character stays. */
  private static final String[] WIDTH_MAP = buildWidthMap();
  /** ftfy's max_decode_length, in code points. */
  static final int MAX_SEGMENT = 1_000_000;

  private Ftfy() {}

  public static String fixText(String text) {
    StringBuilder out = new StringBuilder(text.length());
    boolean unescapeHtml = true;
    int pos = 0;
    while (pos < text.length()) {
      int newline = text.indexOf('\n', pos);
      int end = newline < 0 ? text.length() : newline + 1;
      if (end - pos > MAX_SEGMENT && text.codePointCount(pos, end) > MAX_SEGMENT) {
        end = text.offsetByCodePoints(pos, MAX_SEGMENT);
      }
      String segment = text.substring(pos, end);
      if (unescapeHtml && segment.indexOf('<') >= 0) unescapeHtml = false; // stays off for later lines too
      out.append(fixSegment(segment, unescapeHtml));
      pos = end;
    }
    return out.toString();
  }

  private static String fixSegment(String text, boolean unescapeHtml) {
    while (true) {
      String before = text;
      if (unescapeHtml) text = Html.unescapeStrict(text);
      text = Mojibake.fixEncoding(text);
      text = fixC1Controls(text);
      text = fixLatinLigatures(text);
      text = fixCharacterWidth(text);
      text = uncurlQuotes(text);
      text = fixLineBreaks(text);
      text = fixSurrogates(text);
      text = removeTerminalEscapes(text);
      text = removeControlChars(text);
      if (!Normalizer.isNormalized(text, Normalizer.Form.NFC)) text = Normalizer.normalize(text, Normalizer.Form.NFC);
      if (text.equals(before)) return text;
    }
  }

  /** U+0080..U+009F are almost always windows-1252 bytes decoded as Latin-1. */
  static String fixC1Controls(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= 0x80 && c <= 0x9F) {
        if (out == null) out = new StringBuilder(text).delete(i, text.length());
        out.append(Html.WINDOWS_1252_HIGH.charAt(c - 0x80));
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? text : out.toString();
  }

  static String fixLatinLigatures(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String replacement = ligature(c);
      if (replacement != null && out == null) out = new StringBuilder(text).delete(i, text.length());
      if (out != null) {
        if (replacement != null) out.append(replacement);
        else out.append(c);
      }
    }
    return out == null ? text : out.toString();
  }

  /** ftfy's ligature table: typographic Latin ligatures and the Dutch/Serbo-Croatian digraph letters. */
  private static String ligature(char c) {
    switch (c) {
      case '\u0132': return "IJ";
      case '\u0133': return "ij";
      case '\u0149': return "\u02BCn";
      case '\u01F1': return "DZ";
      case '\u01F2': return "Dz";
      case '\u01F3': return "dz";
      case '\u01C4': return "D\u017D";
      case '\u01C5': return "D\u017E";
      case '\u01C6': return "d\u017E";
      case '\u01C7': return "LJ";
      case '\u01C8': return "Lj";
      case '\u01C9': return "lj";
      case '\u01CA': return "NJ";
      case '\u01CB': return "Nj";
      case '\u01CC': return "nj";
      case '\uFB00': return "ff";
      case '\uFB01': return "fi";
      case '\uFB02': return "fl";
      case '\uFB03': return "ffi";
      case '\uFB04': return "ffl";
      case '\uFB05': return "\u017Ft";
      case '\uFB06': return "st";
      default: return null;
    }
  }

  static String fixCharacterWidth(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String replacement = c == '\u3000' ? " "
          : c >= FIRST_WIDTH_FORM && c <= LAST_WIDTH_FORM ? WIDTH_MAP[c - FIRST_WIDTH_FORM] : null;
      if (replacement != null && out == null) out = new StringBuilder(text).delete(i, text.length());
      if (out != null) {
        if (replacement != null) out.append(replacement);
        else out.append(c);
      }
    }
    return out == null ? text : out.toString();
  }

  static String uncurlQuotes(String text) {
    char[] chars = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      char straight = c == '\u02BC' || (c >= '\u2018' && c <= '\u201B') ? '\''
          : c >= '\u201C' && c <= '\u201F' ? '"' : 0;
      if (straight != 0) {
        if (chars == null) chars = text.toCharArray();
        chars[i] = straight;
      }
    }
    return chars == null ? text : new String(chars);
  }

  /** CR LF, CR, U+2028, U+2029 and NEL all become '\n'. */
  static String fixLineBreaks(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean lineBreak = c == '\r' || c == '\u2028' || c == '\u2029' || c == '\u0085';
      if (lineBreak && out == null) out = new StringBuilder(text).delete(i, text.length());
      if (out == null) continue;
      if (!lineBreak) {
        out.append(c);
      } else {
        out.append('\n');
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') i++;
      }
    }
    return out == null ? text : out.toString();
  }

  /** Valid pairs are already single code points in a Java string; a lone surrogate becomes U+FFFD. */
  static String fixSurrogates(String text) {
    char[] chars = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        if (chars == null) chars = text.toCharArray();
        chars[i] = '\uFFFD';
      }
    }
    return chars == null ? text : new String(chars);
  }

  /** Removes {@code ESC [ (digit|;)* letter}; "digit" is any Unicode decimal digit, as Python's \d. */
  static String removeTerminalEscapes(String text) {
    int esc = text.indexOf('\u001B');
    if (esc < 0) return text;
    StringBuilder out = new StringBuilder(text.length());
    int copied = 0;
    for (int i = esc; i >= 0; i = text.indexOf('\u001B', i)) {
      int j = i + 1;
      if (j < text.length() && text.charAt(j) == '[') {
        j++;
        while (j < text.length()) {
          int cp = text.codePointAt(j);
          if (cp != ';' && !Character.isDigit(cp)) break;
          j += Character.charCount(cp);
        }
        char last = j < text.length() ? text.charAt(j) : 0;
        if ((last >= 'a' && last <= 'z') || (last >= 'A' && last <= 'Z')) {
          out.append(text, copied, i);
          copied = j + 1;
          i = j + 1;
          continue;
        }
      }
      i++;
    }
    return out.append(text, copied, text.length()).toString();
  }

  /** ftfy's list: C0 controls except tab/LF/FF/CR, DEL, deprecated format characters, BOM, interlinear marks. */
  static String removeControlChars(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean control = (c <= 0x08) || c == 0x0B || (c >= 0x0E && c <= 0x1F) || c == 0x7F
          || (c >= '\u206A' && c <= '\u206F') || c == '\uFEFF' || (c >= '\uFFF9' && c <= '\uFFFC');
      if (control && out == null) out = new StringBuilder(text).delete(i, text.length());
      if (out != null && !control) out.append(c);
    }
    return out == null ? text : out.toString();
  }

  private static String[] buildWidthMap() {
    String[] map = new String[LAST_WIDTH_FORM - FIRST_WIDTH_FORM + 1];
    for (char c = FIRST_WIDTH_FORM; c <= LAST_WIDTH_FORM; c++) {
      String s = String.valueOf(c);
      String normal = Normalizer.normalize(s, Normalizer.Form.NFKC);
      if (!normal.equals(s)) map[c - FIRST_WIDTH_FORM] = normal;
    }
    return map;
  }
}
