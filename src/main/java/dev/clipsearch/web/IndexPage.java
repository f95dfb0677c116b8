package dev.clipsearch.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The minimal built-in page (a query box over /gradio_api/call/search), used when no UI directory is configured. */
final class IndexPage {
  private static final byte[] HTML = load();

  private IndexPage() {}

  static byte[] html() {
    return HTML.clone();
  }

  private static byte[] load() {
    try (InputStream in = IndexPage.class.getResourceAsStream("index.html")) {
      if (in == null) {
        throw new IllegalStateException("index.html missing from the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
