package dev.clipsearch.web;

import static dev.clipsearch.web.Http.json;

import dev.clipsearch.gradio.FilePolicy;
import dev.clipsearch.gradio.GradioException;
import dev.clipsearch.gradio.MimeTypes;
import dev.clipsearch.gradio.PathCodec;
import dev.clipsearch.gradio.SseFrames;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Uploads and downloads (docs/gradio-protocol.md, "Files"): {@code POST {p}/upload}, {@code GET|HEAD {p}/file=<path>},
 * {@code GET {p}/upload_progress}. Which paths may be read is decided by {@link FilePolicy} alone.
 */
final class FileRoutes {
  private static final String MARKER = "/file=";
  private final FilePolicy policy;
  private final long maxUploadBytes;
  private final UploadSpace space;

  FileRoutes(FilePolicy policy, long maxUploadBytes, UploadSpace space) {
    this.space = space;
    this.policy = policy;
    this.maxUploadBytes = maxUploadBytes;
  }

  void register(Javalin app, String p) {
    app.post(p + "/upload", this::upload);
    // "file=" is glued to the first segment and the rest contains '/', so the path is cut from the raw URI.
    app.get(p + "/file=<path>", ctx -> file(ctx, false));
    app.head(p + "/file=<path>", ctx -> file(ctx, true));
    // The UI polls this while uploading; we take each upload in one request, so it is always done.
    app.get(p + "/upload_progress", ctx -> {
      SseStreams.headers(ctx.res());
      SseStreams.sink(ctx.res()).send(SseFrames.UPLOAD_DONE);
    });
  }

  /** One or more parts named {@code files} → a JSON list of upload ids, in order. */
  private void upload(Context ctx) throws IOException {
    List<UploadedFile> files;
    try {
      files = ctx.uploadedFiles("files");
    } catch (IllegalStateException e) {
      // Jetty's multipart parser enforces the configured limits this way ("... exceeds max filesize").
      throw String.valueOf(e.getMessage()).contains("exceeds") ? tooLarge() : new GradioException(GradioException.Kind.BAD_REQUEST, "Malformed multipart body.");
    }
    if (files.isEmpty()) {
      throw new GradioException(GradioException.Kind.BAD_REQUEST, "No files: send multipart/form-data parts named 'files'.");
    }
    List<String> ids = new ArrayList<>();
    for (UploadedFile f : files) {
      if (f.size() > maxUploadBytes) {
        throw tooLarge();
      }
      String id = policy.newUploadId(f.filename());
      Path target = policy.uploadTarget(id);
      space.reserve(f.size());
      try (InputStream in = f.content()) {
        Files.createDirectories(target.getParent());
        Files.copy(in, target);
      } catch (IOException | RuntimeException e) {
        space.release(f.size());
        throw e;
      }
      space.added(target, f.size());
      ids.add(id);
    }
    json(ctx, ids);
  }

  private void file(Context ctx, boolean head) throws IOException {
    Path f = requested(ctx, MARKER, policy);
    space.touch(f); // the page showing the image it searches with keeps it in the query cache
    send(ctx, f, head);
  }

  /** The allowed file named after {@code marker} ("/file=", "/thumb=") in the raw URI, decoded exactly once. */
  static Path requested(Context ctx, String marker, FilePolicy policy) {
    String uri = ctx.req().getRequestURI(); // still percent-encoded: decode exactly once
    int at = uri.indexOf(marker);
    String path;
    try {
      path = PathCodec.decodeOnce(uri.substring(at + marker.length()));
    } catch (IllegalArgumentException e) {
      throw new GradioException(GradioException.Kind.FILE_NOT_ALLOWED, "File not allowed: malformed path.");
    }
    return policy.resolve(path);
  }

  /** 200 with the file's bytes (or only its headers for HEAD); the name in Content-Disposition is {@code f}'s own. */
  static void send(Context ctx, Path f, boolean head) throws IOException {
    String name = f.getFileName().toString();
    ctx.status(200);
    ctx.header("Content-Type", MimeTypes.of(name));
    ctx.header("Content-Disposition", "inline; filename=\"" + name.replace("\"", "") + "\"");
    ctx.header("Content-Length", Long.toString(Files.size(f)));
    ctx.header("Last-Modified", java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
        Files.getLastModifiedTime(f).toInstant().atZone(java.time.ZoneOffset.UTC)));
    ctx.header("X-Content-Type-Options", "nosniff");
    if (!head) {
      // Written to the raw stream so Javalin's compression cannot disagree with the Content-Length above.
      try (OutputStream out = ctx.res().getOutputStream()) {
        Files.copy(f, out);
      }
    }
  }

  private GradioException tooLarge() {
    return new GradioException(GradioException.Kind.TOO_LARGE, "File too large: the limit is " + maxUploadBytes + " bytes.");
  }
}
