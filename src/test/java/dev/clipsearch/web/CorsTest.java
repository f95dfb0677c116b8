package dev.clipsearch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** serve --cors-origin: only the listed origins are granted, on simple requests and on preflights. */
class CorsTest {
  @TempDir Path tmp;
  TestApp app;

  @BeforeEach
  void start() throws Exception {
    app = new TestApp(tmp, Limits.defaults(),
        s -> Limits.ops(s, ApiToken.none(), Set.of("https://Search.Example.com/", "http://localhost:3000")));
  }

  @AfterEach
  void stop() {
    app.close();
  }

  private HttpResponse<String> preflight(String origin) throws Exception {
    return app.http.send(HttpRequest.newBuilder(URI.create(app.base() + "/gradio_api/queue/join"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", origin)
        .header("Access-Control-Request-Method", "POST").timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String allowOrigin(HttpResponse<String> r) {
    return r.headers().firstValue("access-control-allow-origin").orElse("(none)");
  }

  @Test
  void aListedOriginIsGrantedEvenWhenTheServerIsAddressedAsLocalhost() throws Exception {
    // Gradio's default policy refuses a foreign origin to a server addressed as 127.0.0.1; the list overrides it.
    assertEquals("https://search.example.com", allowOrigin(app.send("/config", null, "Origin", "https://search.example.com")));
    assertEquals("https://search.example.com", allowOrigin(preflight("https://search.example.com")));
    assertEquals("http://localhost:3000", allowOrigin(preflight("http://localhost:3000")));
  }

  @Test
  void anyOtherOriginGetsNoGrantButTheRequestStillAnswers() throws Exception {
    for (String other : new String[] {"http://localhost:3001", "https://search.example.com.evil.net",
        "http://search.example.com", "null"}) {
      HttpResponse<String> r = app.send("/config", null, "Origin", other);
      assertEquals(200, r.statusCode(), other); // CORS is the browser's gate; the server only withholds the grant
      assertFalse(r.headers().firstValue("access-control-allow-origin").isPresent(), other);
      assertFalse(preflight(other).headers().firstValue("access-control-allow-origin").isPresent(), other);
    }
  }
}
