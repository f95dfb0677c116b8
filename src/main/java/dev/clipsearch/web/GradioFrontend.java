package dev.clipsearch.web;

import static dev.clipsearch.web.Http.json;

import dev.clipsearch.gradio.ConfigBuilder;
import dev.clipsearch.gradio.GradioException;
import dev.clipsearch.gradio.InfoBuilder;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Gradio's own frontend asks a Gradio server for besides the API (docs/gradio-frontend.md), served from the
 * frontend that src/scripts/setup.d/35-gradio-frontend.sh unpacks from the gradio wheel of the version /config claims:
 * <ul>
 *   <li>{@code /theme.css} and {@code {p}/theme.css}: the default theme, light and dark, as that version writes it;
 *   <li>{@code /static/...}: the fonts the theme names, Gradio's logo and, for 6.x pages, the iframe resizer;
 *   <li>{@code /assets/...}: the frontend's own chunks, for its page;
 *   <li>{@code /favicon.ico} (Gradio's logo), {@code /manifest.json} (the page links it), {@code /robots.txt};
 *   <li>with {@code --ui gradio}, the page itself at {@code /}, filled in by {@link GradioPage}.
 * </ul>
 * Pages that embed the app with {@code <gradio-app src=...>} load the theme and fonts from here whatever {@code --ui}
 * says. Without the installed frontend these routes answer 404 with a message that says how to install it.
 */
final class GradioFrontend {
  private static final Logger log = LoggerFactory.getLogger(GradioFrontend.class);
  private final Optional<Path> dir;
  private final Optional<GradioPage> page;
  private final ConfigBuilder config;
  private final InfoBuilder info;
  private final String title;

  /**
   * @param dir the installed version ({@code frontend/}, {@code theme.css}), or empty
   * @param servePage whether {@code /} is Gradio's page ({@code --ui gradio}); needs {@code dir}
   * @throws IllegalArgumentException when the page is wanted but the frontend is missing or its template unknown
   */
  GradioFrontend(Optional<Path> dir, boolean servePage, ConfigBuilder config, InfoBuilder info, String title) {
    // The real path: Jetty's static handler refuses files reached through a symlink (an alias), and .cache may be one.
    this.dir = dir.filter(d -> Files.isRegularFile(d.resolve("theme.css")) && Files.isDirectory(d.resolve("frontend")))
        .map(GradioFrontend::realPath);
    this.config = config;
    this.info = info;
    this.title = title;
    String missing = "Gradio's frontend is not installed" + dir.map(d -> " at " + d).orElse("")
        + ": run src/scripts/setup.sh (step setup.d/35-gradio-frontend.sh)";
    if (servePage && this.dir.isEmpty()) {
      throw new IllegalArgumentException("--ui gradio needs it, but " + missing);
    }
    if (dir.isPresent() && this.dir.isEmpty()) {
      log.warn("{}; until then pages that embed this app with <gradio-app> get no theme (/theme.css answers 404)", missing);
    }
    this.page = servePage ? this.dir.map(d -> GradioPage.parse(read(d.resolve("frontend/index.html")))) : Optional.empty();
  }

  boolean installed() {
    return dir.isPresent();
  }

  boolean servesPage() {
    return page.isPresent();
  }

  /** The frontend's folders as static files; called inside {@code Javalin.create}. */
  void staticFiles(JavalinConfig cfg) {
    dir.ifPresent(d -> {
      for (String folder : List.of("assets", "static")) {
        cfg.staticFiles.add(s -> {
          s.hostedPath = "/" + folder;
          s.directory = d.resolve("frontend").resolve(folder).toAbsolutePath().toString();
          s.location = Location.EXTERNAL;
          // Chunk names carry a content hash; fonts and logos change only with the installed version.
          s.headers = Map.of("Cache-Control", "public, max-age=86400");
        });
      }
    });
  }

  void registerRoot(Javalin app) {
    app.get("/favicon.ico", ctx -> send(ctx, "frontend/static/img/logo.svg", "image/svg+xml"));
    app.get("/manifest.json", this::manifest);
    // Gradio's answer for an app that is not a share link: crawlers may index it.
    app.get("/robots.txt", ctx -> ctx.contentType("text/plain; charset=utf-8").result("User-agent: *\nDisallow: "));
    page.ifPresent(p -> {
      app.get("/", ctx -> page(ctx, p));
      app.head("/", ctx -> page(ctx, p));
    });
  }

  /** 5.x and 6.x register the theme on the API router as well as the app. */
  void register(Javalin app, String p) {
    app.get(p + "/theme.css", ctx -> send(ctx, "theme.css", "text/css; charset=utf-8"));
  }

  private void page(Context ctx, GradioPage p) {
    String root = Http.root(ctx);
    ctx.contentType("text/html; charset=utf-8").result(p.render(config.build(root), info.build()));
  }

  private void manifest(Context ctx) {
    Path logo = installed() ? dir.get().resolve("frontend/static/img/logo_nosize.svg") : Path.of("");
    Map<String, Object> icon = new LinkedHashMap<>();
    // 4.x ships only logo.svg; 5.x and 6.x name the unsized one in their own manifest.
    icon.put("src", Files.isRegularFile(logo) ? "static/img/logo_nosize.svg" : "static/img/logo.svg");
    icon.put("sizes", "any");
    icon.put("type", "image/svg+xml");
    icon.put("purpose", "any");
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", title);
    m.put("icons", List.of(icon));
    m.put("start_url", "./");
    m.put("display", "standalone");
    json(ctx, m);
    ctx.contentType("application/manifest+json");
  }

  private void send(Context ctx, String relative, String type) throws IOException {
    Path file = dir.map(d -> d.resolve(relative)).filter(Files::isRegularFile)
        .orElseThrow(() -> new GradioException(GradioException.Kind.NOT_FOUND, "Gradio's frontend is not installed, so "
            + ctx.path() + " is not served: run src/scripts/setup.sh (step setup.d/35-gradio-frontend.sh)"));
    ctx.header("Cache-Control", "public, max-age=3600");
    ctx.contentType(type).result(Files.readAllBytes(file));
  }

  private static Path realPath(Path p) {
    try {
      return p.toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot resolve " + p, e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Gradio's page " + file, e);
    }
  }
}
