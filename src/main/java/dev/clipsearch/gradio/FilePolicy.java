package dev.clipsearch.gradio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Which server files a client may read (the {@code file=} route) or pass as input (ingest, search_image): files we
 * stored under the uploads dir, and stored images for which the search service says {@code isServable}. Nothing else.
 *
 * <p>Upload ids are {@code uploads/<uuid>/<sanitised name>}: relative, opaque and URL-safe, because Python appends the
 * path to {@code file=} unencoded and browsers encode it per segment, so some paths arrive decoded and others not.
 *
 * <p>Guards, each against a known trick: {@code ..} segments (traversal, including {@code %2e%2e} once the caller has
 * decoded the path once), NUL and backslashes (path truncation / Windows separators), symlinks inside the uploads dir
 * that point outside it (checked on the real path), and absolute or store paths the search service does not vouch for.
 * Thread-safe: immutable.
 */
public final class FilePolicy {
  public static final String UPLOAD_PREFIX = "uploads/";
  private static final int MAX_NAME = 100;

  private final Path uploadsDir;
  private final Predicate<String> servable;

  /** @param servable SearchService::isServable */
  public FilePolicy(Path uploadsDir, Predicate<String> servable) throws IOException {
    Files.createDirectories(uploadsDir);
    this.uploadsDir = uploadsDir.toRealPath();
    this.servable = servable;
  }

  public Path uploadsDir() {
    return uploadsDir;
  }

  /** A fresh upload id for a client file name: {@code uploads/<uuid>/<sanitised name>}. */
  public String newUploadId(String clientFileName) {
    return UPLOAD_PREFIX + UUID.randomUUID().toString().replace("-", "") + "/" + sanitizeName(clientFileName);
  }

  /** Where an upload id (from {@link #newUploadId}) is stored on disk. */
  public Path uploadTarget(String uploadId) {
    return uploadsDir.resolve(uploadId.substring(UPLOAD_PREFIX.length())).normalize();
  }

  /**
   * The file behind a client-supplied path (already percent-decoded once).
   *
   * @throws GradioException FILE_NOT_ALLOWED for anything outside the two allowed sets, NOT_FOUND for an allowed path
   *     with no regular file behind it
   */
  public Path resolve(String path) {
    if (path == null || path.isEmpty() || path.indexOf('\0') >= 0 || path.indexOf('\\') >= 0 || hasDotSegment(path)) {
      throw notAllowed(path);
    }
    if (path.startsWith(UPLOAD_PREFIX)) {
      return resolveUpload(path);
    }
    if (!servable.test(path)) {
      throw notAllowed(path);
    }
    Path p = Path.of(path);
    if (!Files.isRegularFile(p)) {
      throw new GradioException(GradioException.Kind.NOT_FOUND, "File not found.");
    }
    return p;
  }

  private Path resolveUpload(String path) {
    Path candidate = uploadTarget(path);
    if (!candidate.startsWith(uploadsDir) || candidate.equals(uploadsDir)) {
      throw notAllowed(path);
    }
    if (!Files.isRegularFile(candidate, LinkOption.NOFOLLOW_LINKS)) {
      // A symlink planted in the uploads dir is refused even if its target is a file.
      if (Files.isSymbolicLink(candidate)) {
        throw notAllowed(path);
      }
      throw new GradioException(GradioException.Kind.NOT_FOUND, "File not found.");
    }
    try {
      // Parent directories may be symlinks too: the real path must still be inside the uploads dir.
      if (!candidate.toRealPath().startsWith(uploadsDir)) {
        throw notAllowed(path);
      }
    } catch (IOException e) {
      throw new GradioException(GradioException.Kind.NOT_FOUND, "File not found.");
    }
    return candidate;
  }

  /** Keeps [A-Za-z0-9._-], maps the rest to '_', no leading dot, at most 100 chars; "file" if nothing is left. */
  public static String sanitizeName(String name) {
    String base = name == null ? "" : name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
    StringBuilder sb = new StringBuilder();
    for (char c : base.toCharArray()) {
      sb.append((c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-')) ? c : '_');
    }
    String s = sb.toString().replaceFirst("^\\.+", "");
    if (s.length() > MAX_NAME) {
      int dot = s.lastIndexOf('.');
      String ext = dot > 0 && s.length() - dot <= 10 ? s.substring(dot) : "";
      s = s.substring(0, MAX_NAME - ext.length()) + ext;
    }
    return s.isEmpty() ? "file" : s;
  }

  private static boolean hasDotSegment(String path) {
    for (String seg : path.split("/", -1)) {
      if (seg.equals("..") || seg.equals(".")) {
        return true;
      }
    }
    return false;
  }

  private static GradioException notAllowed(String path) {
    String shown = path == null ? "" : path.replaceAll("[\\p{Cntrl}]", "?");
    return new GradioException(GradioException.Kind.FILE_NOT_ALLOWED, "File not allowed: " + shown + ".");
  }
}
