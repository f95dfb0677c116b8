package dev.clipsearch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The routes Gradio's frontend needs besides the API, over a small stand-in of an installed frontend (the real one,
 * unpacked from the gradio wheel, is driven in a browser by GradioFrontendIT).
 */
class GradioFrontendRoutesTest {
  @TempDir Path tmp;
  TestApp app;
  Path frontend;

  @BeforeEach
  void start() throws Exception {
    app = new TestApp(tmp);
    frontend = tmp.resolve("gradio-frontend/5.49.1");
    Files.createDirectories(frontend.resolve("frontend/assets"));
    Files.createDirectories(frontend.resolve("frontend/static/img"));
    Files.writeString(frontend.resolve("theme.css"), ":root { --primary-500: #f97316; }\n:root .dark { --primary-500: #f97316; }");
    Files.writeString(frontend.resolve("frontend/index.html"),
        "<title>{{ config['title'] or '' }}</title><script>window.gradio_config = {{ config | toorjson }};</script>");
    Files.writeString(frontend.resolve("frontend/assets/index-abc.js"), "export {};");
    Files.writeString(frontend.resolve("frontend/static/img/logo.svg"), "<svg/>");
  }

  @AfterEach
  void stop() {
    app.close();
  }

  private HttpResponse<String> get(WebServer s, String path) throws Exception {
    return app.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private WebServer server(UiChoice ui) throws Exception {
    return new WebServer(app.search, app.ingest, tmp.resolve("u2"), Limits.defaults(), ui,
        Limits.openOps(app.search)).start(0, "127.0.0.1");
  }

  @Test
  void theThemeFontsAndAssetsAreServedWhateverThePage() throws Exception {
    try (WebServer s = server(new UiChoice(Optional.empty(), false, Optional.of(frontend)))) {
      for (String path : new String[] {"/theme.css?v=abc", "/gradio_api/theme.css"}) {
        HttpResponse<String> theme = get(s, path);
        assertEquals(200, theme.statusCode(), path);
        assertTrue(theme.headers().firstValue("Content-Type").orElse("").startsWith("text/css"), path);
        assertTrue(theme.body().contains(":root .dark"), path);
      }
      assertEquals("export {};", get(s, "/assets/index-abc.js").body());
      assertEquals("<svg/>", get(s, "/static/img/logo.svg").body());
      assertEquals("<svg/>", get(s, "/favicon.ico").body());
      assertTrue(get(s, "/manifest.json").body().contains("\"start_url\":\"./\""));
      assertEquals(404, get(s, "/assets/missing.js").statusCode());
      assertTrue(get(s, "/").body().contains("/gradio_api/call/search"), "the built-in page stays at /");
    }
  }

  @Test
  void uiGradioServesGradiosPageFilledForThisRequest() throws Exception {
    try (WebServer s = server(new UiChoice(Optional.empty(), true, Optional.of(frontend)))) {
      HttpResponse<String> page = app.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/"))
          .header("X-Forwarded-Host", "search.example.com").header("X-Forwarded-Proto", "https").build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, page.statusCode());
      assertTrue(page.body().startsWith("<title>Text-to-Image Search</title>"), page.body());
      assertTrue(page.body().contains("\"root\":\"https://search.example.com\""), "root as the browser sees it");
      assertTrue(page.body().contains("\"api_prefix\":\"/gradio_api\""));
    }
  }

  @Test
  void withoutTheInstalledFrontendTheThemeIsA404ThatSaysHowToInstallIt() throws Exception {
    HttpResponse<String> r = app.get("/theme.css");
    assertEquals(404, r.statusCode());
    assertTrue(r.body().contains("src/scripts/setup.sh"), r.body());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> server(new UiChoice(Optional.empty(), true, Optional.of(tmp.resolve("nowhere")))));
    assertTrue(e.getMessage().contains("--ui gradio") && e.getMessage().contains("nowhere"), e.getMessage());
  }
}
