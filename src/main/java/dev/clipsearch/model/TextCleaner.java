package dev.clipsearch.model;

import java.util.Locale;

/**
 * open_clip's default text cleaning for the OpenAI CLIP tokenizer ({@code clean='lower'}):
 * {@code ftfy.fix_text}, {@code html.unescape} twice, strip, collapse whitespace runs to one space, lower case.
 *
 * <p>Whitespace is Python's {@code str.split()} notion ({@link TokenizerCharClass#isPythonSpace}), which includes
 * U+001C..U+001F and NBSP but not the zero-width space. Lower-casing is {@link String#toLowerCase(Locale)} with
 * {@link Locale#ROOT}: full Unicode mappings, final sigma included, as Python's {@code str.lower()}.
 */
final class TextCleaner {
  private TextCleaner() {}

  static String clean(String text) {
    String fixed = isPlainAscii(text)
        ? text
        : TextCleanerHtml.unescape(TextCleanerHtml.unescape(TextCleanerFtfy.fixText(text)));
    return collapseWhitespace(fixed).toLowerCase(Locale.ROOT);
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
      if (TokenizerCharClass.isPythonSpace(cp)) {
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
