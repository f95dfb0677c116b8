package dev.clipsearch.model.text;

import dev.clipsearch.model.text.unicode.PythonCharClass;

/**
 * Splits cleaned text into the pieces that BPE encodes one by one, as OpenAI's CLIP tokenizer (the `clip` package the
 * Milvus tutorial uses) does with {@code regex.findall}:
 * <pre>{@code <\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+}</pre>
 * (IGNORECASE). The alternatives are tried in order at each position, and a position where none matches (a space)
 * is skipped. A hand-written scanner rather than java.util.regex: it is several times faster on short queries, and
 * the character classes must follow the Python regex module's Unicode tables anyway ({@link PythonCharClass}).
 */
final class TokenizerPreSplitter {
  // OpenAI's spelling of the special tokens. open_clip's tokenizer spells them <start_of_text> and <end_of_text>; the
  // two agree on every text that spells neither, and clip-search follows the tutorial's (OpenAI's) one.
  static final String START_OF_TEXT = "<|startoftext|>";
  static final String END_OF_TEXT = "<|endoftext|>";
  private static final String[] CONTRACTIONS = {"s", "t", "re", "ve", "m", "ll", "d"};

  /** Receives the pieces in order; returning false stops the scan (the caller has enough tokens). */
  interface PieceSink {
    boolean accept(String piece);
  }

  private TokenizerPreSplitter() {}

  static void split(String text, PieceSink sink) {
    int n = text.length();
    int i = 0;
    while (i < n) {
      int end = matchAt(text, i);
      if (end < 0) {
        i += Character.charCount(text.codePointAt(i));
        continue;
      }
      if (!sink.accept(text.substring(i, end))) return;
      i = end;
    }
  }

  /** End of the piece that starts at {@code i}, or -1 when no alternative matches there. */
  private static int matchAt(String text, int i) {
    char c = text.charAt(i);
    if (c == '<') {
      int end = matchIgnoringCase(text, i, START_OF_TEXT);
      if (end < 0) end = matchIgnoringCase(text, i, END_OF_TEXT);
      if (end >= 0) return end;
    } else if (c == '\'') {
      for (String suffix : CONTRACTIONS) {
        int end = matchIgnoringCase(text, i + 1, suffix);
        if (end >= 0) return end;
      }
    }
    int cp = text.codePointAt(i);
    byte kind = PythonCharClass.of(cp);
    switch (kind) {
      case PythonCharClass.NUMBER:
        return i + Character.charCount(cp);
      case PythonCharClass.SKIPPED:
        return -1;
      default:
        return endOfRun(text, i, kind);
    }
  }

  /** Greedy run of code points of one class: {@code [\p{L}]+} or {@code [^\s\p{L}\p{N}]+}. */
  private static int endOfRun(String text, int i, byte kind) {
    int n = text.length();
    while (i < n) {
      int cp = text.codePointAt(i);
      if (PythonCharClass.of(cp) != kind) break;
      i += Character.charCount(cp);
    }
    return i;
  }

  /**
   * Matches an ASCII literal case-insensitively, as the regex module does with simple case folding. The text is
   * already lower case, so the only other spelling left is U+017F LATIN SMALL LETTER LONG S, which folds to 's'.
   */
  private static int matchIgnoringCase(String text, int from, String literal) {
    int n = literal.length();
    if (from + n > text.length()) return -1;
    for (int k = 0; k < n; k++) {
      char t = text.charAt(from + k);
      char l = literal.charAt(k);
      if (t != l && !(l == 's' && t == '\u017F')) return -1;
    }
    return from + n;
  }
}
