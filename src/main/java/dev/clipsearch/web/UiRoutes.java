package dev.clipsearch.web;

import static dev.clipsearch.web.Http.json;

import dev.clipsearch.gradio.FilePolicy;
import dev.clipsearch.search.SearchService;
import dev.clipsearch.ingest.IngestProgress;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Two routes that only the web page uses; Gradio has neither, so no client depends on their shape:
 * <ul>
 *   <li>{@code GET|HEAD {p}/thumb=<path>?s=256}: a small JPEG of an image that {@code file=} would serve (the same
 *       {@link FilePolicy} decides), or the file itself when it is already small or not readable as a thumbnail.
 *   <li>{@code GET {p}/collection}: {@code {"images": N, "ingest": {...}}} for the page header: the stored images
 *       ({@code null} when unknown) and the background ingest's progress ({@code null} when there is none; the shape
 *       of /readyz's {@code ingest}).
 * </ul>
 */
final class UiRoutes {
  private static final String MARKER = "/thumb=";
  private final FilePolicy policy;
  private final Thumbnails thumbs;
  private final SearchService search;
  private final Supplier<Optional<IngestProgress>> ingest;

  UiRoutes(FilePolicy policy, Thumbnails thumbs, SearchService search, Supplier<Optional<IngestProgress>> ingest) {
    this.policy = policy;
    this.thumbs = thumbs;
    this.search = search;
    this.ingest = ingest;
  }

  void register(Javalin app, String p) {
    app.get(p + "/thumb=<path>", ctx -> thumb(ctx, false));
    app.head(p + "/thumb=<path>", ctx -> thumb(ctx, true));
    app.get(p + "/collection", ctx -> {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("images", search.imageCount().isPresent() ? search.imageCount().getAsLong() : null);
      body.put("ingest", ingest.get().map(IngestProgress::toJson).orElse(null));
      json(ctx, body);
    });
  }

  private void thumb(Context ctx, boolean head) throws IOException, InterruptedException {
    Path source = FileRoutes.requested(ctx, MARKER, policy);
    int size = Thumbnails.snap(parseSize(ctx.queryParam("s")));
    Optional<Path> small = thumbs.get(source, size);
    // Stored images are not rewritten in place, so a day of caching lets a repeated search load no images at all.
    ctx.header("Cache-Control", "private, max-age=86400");
    try {
      FileRoutes.send(ctx, small.orElse(source), head);
    } catch (java.nio.file.NoSuchFileException evicted) {
      FileRoutes.send(ctx, source, head); // the thumbnail was evicted between lookup and send: the original will do
    }
  }

  private static int parseSize(String s) {
    try {
      return s == null ? 256 : Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return 256;
    }
  }
}
