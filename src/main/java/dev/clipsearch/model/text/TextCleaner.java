package dev.clipsearch.model.text;

import dev.clipsearch.model.text.ftfy.Ftfy;
import dev.clipsearch.model.text.ftfy.Html;
import dev.clipsearch.model.text.unicode.PythonCharClass;
import java.util.Locale;

/**
 * open_clip's default text cleaning for the OpenAI CLIP tokenizer ({@code clean='lower'}):
 * {@code ftfy.fix_text}, {@code html.unescape} twice, strip, collapse whitespace runs to one space, lower case.
 *
 * <p>Whitespace is Python's {@code str.split()} notion ({@link PythonCharClass#isPythonSpace}), which includes
 * U+001C..U+001F and NBSP but not the zero-width space. Lower-casing is {@link String#toLowerCase(Locale)} with
 * {@link Locale#ROOT}: full Unicode mappings, final sigma included, as Python's {@code str.lower()}; the few
 * letters Unicode 14 added with a lower case (Python 3.11's tables, not Java 17's) are lowered from a table.
 */
final class TextCleaner {
  private TextCleaner() {}

  static String clean(String text) {
    if (isPlainAscii(text)) return collapseWhitespace(text).toLowerCase(Locale.ROOT);
    String fixed = Html.unescape(Html.unescape(Ftfy.fixText(text)));
    return PythonCharClass.lowerNewerLetters(lowerCase(collapseWhitespace(fixed)));
  }

  /**
   * {@code toLowerCase(Locale.ROOT)}, except for capital sigma: Java picks final 'ς' by word boundaries, Python by
   * the Unicode rule (a cased letter before it, case-ignorables skipped, and no cased letter after), so Σ is
   * lowered here by Python's rule and the text between by Java.
   */
  static String lowerCase(String text) {
    int sigma = text.indexOf('\u03A3');
    if (sigma < 0) return text.toLowerCase(Locale.ROOT);
    StringBuilder out = new StringBuilder(text.length());
    int from = 0;
    for (; sigma >= 0; sigma = text.indexOf('\u03A3', from)) {
      out.append(text.substring(from, sigma).toLowerCase(Locale.ROOT));
      out.append(isFinalSigma(text, sigma) ? '\u03C2' : '\u03C3');
      from = sigma + 1;
    }
    return out.append(text.substring(from).toLowerCase(Locale.ROOT)).toString();
  }

  private static boolean isFinalSigma(String text, int at) {
    int i = at;
    int before = -1;
    while (i > 0) {
      before = text.codePointBefore(i);
      if (!isCaseIgnorable(before)) break;
      i -= Character.charCount(before);
      before = -1;
    }
    if (before < 0 || !isCased(before)) return false;
    for (int j = at + 1; j < text.length(); ) {
      int after = text.codePointAt(j);
      if (!isCaseIgnorable(after)) return !isCased(after);
      j += Character.charCount(after);
    }
    return true;
  }

  private static boolean isCased(int cp) {
    return Character.isLowerCase(cp) || Character.isUpperCase(cp) || Character.isTitleCase(cp);
  }

  /** Unicode Case_Ignorable: marks, format characters, modifiers, and the word-internal punctuation. */
  private static boolean isCaseIgnorable(int cp) {
    switch (Character.getType(cp)) {
      case Character.NON_SPACING_MARK:
      case Character.ENCLOSING_MARK:
      case Character.FORMAT:
      case Character.MODIFIER_LETTER:
      case Character.MODIFIER_SYMBOL:
        return true;
      default:
        return "'.:\u00B7\u0387\u055F\u05F4\u2018\u2019\u2024\u2027\uFE13\uFE52\uFE55\uFF07\uFF0E\uFF1A"
            .indexOf(cp) >= 0;
    }
  }

  /**
   * Printable ASCII and ordinary whitespace, no '&': text that ftfy and html.unescape leave as it is (ftfy's
   * line-break fix only turns CR into LF, which the whitespace collapse treats the same). Most queries take this
   * path.
   */
  private static boolean isPlainAscii(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= 0x20 ? (c > 0x7E || c == '&') : !(c == '\t' || c == '\n' || c == '\f' || c == '\r')) return false;
    }
    return true;
  }

  /** {@code " ".join(text.split())}: no leading or trailing whitespace, single spaces between words. */
  static String collapseWhitespace(String text) {
    StringBuilder out = new StringBuilder(text.length());
    boolean pendingSpace = false;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (PythonCharClass.isPythonSpace(cp)) {
        pendingSpace = out.length() > 0;
      } else {
        if (pendingSpace) out.append(' ');
        pendingSpace = false;
        out.appendCodePoint(cp);
      }
    }
    return text.contentEquals(out) ? text : out.toString();
  }
}
