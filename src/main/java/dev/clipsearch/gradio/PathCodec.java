package dev.clipsearch.gradio;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Percent-encoding for the {@code file=} route. Python appends the raw path (2.7 quotes it with {@code safe="/"}), JS
 * {@code upload()} encodes each segment: so the server decodes exactly once, and never turns '+' into a space
 * (URLDecoder would: that is form encoding, not path encoding).
 */
public final class PathCodec {
  private static final String UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/";

  private PathCodec() {}

  public static String encode(String path) {
    StringBuilder sb = new StringBuilder(path.length() + 8);
    for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if (c < 128 && UNRESERVED.indexOf(c) >= 0) {
        sb.append(c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
            .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
      }
    }
    return sb.toString();
  }

  /** @throws IllegalArgumentException on a malformed escape */
  public static String decodeOnce(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    int i = 0;
    while (i < s.length()) {
      int cp = s.codePointAt(i);
      if (cp != '%') {
        out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
        i += Character.charCount(cp);
        continue;
      }
      int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
      int lo = i + 2 < s.length() ? Character.digit(s.charAt(i + 2), 16) : -1;
      if (hi < 0 || lo < 0) {
        throw new IllegalArgumentException("malformed percent escape");
      }
      out.write((hi << 4) | lo);
      i += 3;
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
