package dev.clipsearch.gradio;

import java.util.Locale;
import java.util.Map;

/**
 * Content types by file extension, for {@code /file=} and FileData.mime_type. Unknown → octet-stream. SVG is left out on
 * purpose: served inline from our origin, an uploaded SVG could run script (stored XSS).
 */
public final class MimeTypes {
  private static final Map<String, String> BY_EXTENSION =
      Map.of(
          "png", "image/png",
          "jpg", "image/jpeg",
          "jpeg", "image/jpeg",
          "gif", "image/gif",
          "webp", "image/webp",
          "bmp", "image/bmp",
          "txt", "text/plain; charset=utf-8");

  private MimeTypes() {}

  public static String of(String fileName) {
    int dot = fileName.lastIndexOf('.');
    String ext = dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    return BY_EXTENSION.getOrDefault(ext, "application/octet-stream");
  }
}
