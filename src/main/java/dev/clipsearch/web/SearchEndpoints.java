package dev.clipsearch.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipsearch.gradio.EndpointFn;
import dev.clipsearch.gradio.FileData;
import dev.clipsearch.gradio.FilePolicy;
import dev.clipsearch.gradio.GalleryItem;
import dev.clipsearch.gradio.SearchAppBlocks;
import dev.clipsearch.ingest.IngestService;
import dev.clipsearch.search.Query;
import dev.clipsearch.search.SearchService;
import dev.clipsearch.store.Hit;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The functions behind the app's dependencies: input decoding, validation and the Hit → Gallery mapping. Runs on queue
 * worker threads; the services block there, never on an HTTP thread. Queries and top-k are validated here, once, by
 * {@link Query}; failures are IllegalArgumentExceptions whose message the user sees (ErrorMapping → Python AppError).
 */
final class SearchEndpoints {
  /** Captions are shown under thumbnails; a paragraph is a mistake, and Milvus's dynamic field is not a blob store. */
  static final int MAX_CAPTION_CHARS = 1000;
  private final SearchService search;
  private final IngestService ingest;
  private final FilePolicy files;
  private final UploadSpace uploads;

  SearchEndpoints(SearchService search, IngestService ingest, FilePolicy files, UploadSpace uploads) {
    this.search = search;
    this.ingest = ingest;
    this.files = files;
    this.uploads = uploads;
  }

  /** fn_index → function, for every dependency of {@link SearchAppBlocks}. */
  Map<Integer, EndpointFn> table() {
    EndpointFn byText = (in, root) -> List.of(gallery(search.byText(query(in.get(0)), topK(in.get(1))), root));
    return Map.of(
        SearchAppBlocks.FN_SEARCH, byText,
        SearchAppBlocks.FN_SEARCH_ENTER, byText,
        SearchAppBlocks.FN_INGEST, this::ingest,
        SearchAppBlocks.FN_SEARCH_IMAGE,
        (in, root) -> List.of(gallery(search.byImage(uploads.readForSearch(imagePath(in.get(0))), topK(in.get(1))),
            root)));
  }

  /** fn_indexes of bulk work, which waits behind searches (see EventQueue). */
  static Set<Integer> bulk() {
    return Set.of(SearchAppBlocks.FN_INGEST);
  }

  private List<Object> ingest(List<JsonNode> in, String root) throws IOException {
    Path image = imagePath(in.get(0));
    JsonNode caption = in.size() > 1 ? in.get(1) : null;
    uploads.ingesting(image);
    try {
      return List.of(ingest.ingestFile(image, caption != null && caption.isTextual() ? caption(caption.asText()) : ""));
    } finally {
      uploads.ingested(image); // stored: it persists; otherwise it is a transient upload again
    }
  }

  static String query(JsonNode v) {
    return Query.text(v.isTextual() ? v.asText() : "");
  }

  /** Slider values arrive as 2, 2.0 or null (keyword calls fill the default, JS may send null). */
  static int topK(JsonNode v) {
    if (v == null || v.isNull()) {
      return Query.DEFAULT_K;
    }
    if (!v.isNumber() || v.asDouble() != Math.rint(v.asDouble())) {
      throw new IllegalArgumentException("Top K must be a whole number, got " + v + ".");
    }
    return Query.topK(v.asDouble());
  }

  /**
   * An image input: a FileData-like dict whose {@code path} we issued from /upload (or a servable stored image). A URL
   * is refused: Python's handle_file("https://...") sends it without uploading, and fetching arbitrary URLs from the
   * server would be an SSRF hole.
   */
  Path imagePath(JsonNode v) {
    JsonNode p = v == null ? null : v.isTextual() ? v : v.get("path");
    if (p == null || !p.isTextual() || p.asText().isEmpty()) {
      throw new IllegalArgumentException("Please provide an image.");
    }
    String path = p.asText();
    String lower = path.toLowerCase(Locale.ROOT);
    if (lower.startsWith("http://") || lower.startsWith("https://") || lower.startsWith("data:")) {
      throw new IllegalArgumentException("Images must be uploaded first (POST /gradio_api/upload); URLs are not fetched.");
    }
    return files.resolve(path);
  }

  static List<GalleryItem> gallery(List<Hit> hits, String root) {
    return hits.stream().map(h -> new GalleryItem(FileData.served(root, h.path(), null), caption(h))).toList();
  }

  /**
   * "<stored caption, else the file name> · <score to 3 decimals>"; the middle dot is why SSE payloads are
   * ASCII-escaped.
   */
  static String caption(Hit h) {
    String name = h.caption().isEmpty() ? h.path().substring(h.path().lastIndexOf('/') + 1) : h.caption();
    return name + " \u00b7 " + String.format(Locale.ROOT, "%.3f", h.score());
  }

  /** A caption as given to ingest: checked once here, at the edge. */
  static String caption(String raw) {
    String c = raw.strip();
    if (c.length() > MAX_CAPTION_CHARS) {
      throw new IllegalArgumentException("The caption is too long (" + c.length() + " characters; the limit is "
          + MAX_CAPTION_CHARS + ").");
    }
    return c;
  }
}
