package dev.clipsearch.model;

/** ftfy's fix_encoding (mojibake repair). Placeholder: leaves text as it is. */
final class TextCleanerMojibake {
  private TextCleanerMojibake() {}

  static String fixEncoding(String text) {
    return text;
  }
}
