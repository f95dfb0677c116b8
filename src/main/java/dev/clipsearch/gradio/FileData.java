package dev.clipsearch.gradio;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/**
 * Gradio's FileData. {@code meta._type == "gradio.FileData"} is how every client recognises a file; Python also
 * downloads any output dict with a string {@code path} under sse_v3, so only file values may carry one.
 */
@JsonPropertyOrder({"path", "url", "size", "orig_name", "mime_type", "is_stream", "meta"})
public record FileData(
    @JsonProperty("path") String path,
    @JsonProperty("url") String url,
    @JsonProperty("size") Long size,
    @JsonProperty("orig_name") String origName,
    @JsonProperty("mime_type") String mimeType) {
  public static final String META_TYPE = "gradio.FileData";

  /**
   * A file served by our {@code /file=} route. The path goes into the URL percent-encoded (Python ignores the URL and
   * appends the raw path itself; JS and browsers use the URL, so it must be valid as given).
   *
   * @param root the public root of this request, see {@link RootUrl}
   */
  public static FileData served(String root, String path, Long size) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    return new FileData(path, root + Routes.API_PREFIX + "/file=" + PathCodec.encode(path), size, name, MimeTypes.of(name));
  }

  @JsonProperty("is_stream")
  public boolean isStream() {
    return false;
  }

  @JsonProperty("meta")
  public Map<String, String> meta() {
    return Map.of("_type", META_TYPE);
  }
}
