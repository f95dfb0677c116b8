package dev.clipsearch.gradio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * config.root / FileData.url base, computed like Gradio's get_request_origin (docs/gradio-protocol.md, "Root URL behind
 * a proxy").
 */
class RootUrlTest {
  @Test
  void hostHeaderByDefault() {
    assertEquals("http://127.0.0.1:7860", RootUrl.of(null, null, "127.0.0.1:7860", "http", "fallback:1"));
  }

  @Test
  void forwardedHeadersWinAndTheFirstValueCounts() {
    // The 5.49.1 capture root_forwarded.raw: X-Forwarded-Host example.com + Proto https → "https://example.com".
    assertEquals("https://example.com", RootUrl.of("https", "example.com", "127.0.0.1:7862", "http", "f"));
    assertEquals("https://a.example", RootUrl.of("https, http", "a.example, proxy.local", "h", "http", "f"));
  }

  @Test
  void junkIsIgnoredRatherThanReflected() {
    assertEquals("http://h:1", RootUrl.of("javascript", "evil\"host/x", "h:1", "http", "f"));
    assertEquals("http://f:2", RootUrl.of(null, null, "bad host", "http", "f:2"));
    assertEquals("http://[::1]:8080", RootUrl.of(null, null, "[::1]:8080", "http", "f"));
  }
}
