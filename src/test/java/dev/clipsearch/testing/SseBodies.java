package dev.clipsearch.testing;

import java.io.BufferedReader;
import java.io.IOException;

/** How the Java test clients finish reading an SSE response body. */
public final class SseBodies {
  private SseBodies() {}

  /**
   * Reads a stream whose last message has arrived to the end of its body, before it is closed. Closing it before the
   * last chunk has been read cancels the exchange, and in JDK 17's HttpClient that cancel can race with the
   * connection's return to the pool: it then closes a pooled connection another request has just taken, which fails
   * with "HTTP/1.1 header parser received no bytes" although the server never saw that request (a POST is not
   * retried). GradioLoadIT lost about one call in several thousand to it. gradio_client (httpx) has no such race: it
   * drops a half-read connection instead of pooling it.
   */
  public static void drain(BufferedReader body) throws IOException {
    while (body.readLine() != null) {
      // the server ends the response right after its last message; this reads the final chunk
    }
  }
}
