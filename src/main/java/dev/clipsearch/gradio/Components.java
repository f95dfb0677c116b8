package dev.clipsearch.gradio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Factories for the Gradio components our app uses, with the props Gradio 5.49.1 emits for them (the browser UI
 * renders from these props; API clients only need type, skip_api and api_info).
 */
public final class Components {
  private static final JsonNode SCHEMAS = loadSchemas();

  private Components() {}

  public static Component textbox(int id, String label) {
    Map<String, Object> p = props("type", "text", "lines", 1, "label", label, "show_label", true, "container", true);
    p.putAll(props("min_width", 160, "visible", true, "autofocus", false, "autoscroll", true, "elem_classes", List.of()));
    p.putAll(props("preserved_by_key", List.of("value"), "rtl", false, "show_copy_button", false, "submit_btn", false));
    p.putAll(props("stop_btn", false, "name", "textbox", "_selectable", false));
    p.put("buttons", List.of()); // 6.x's replacement for show_copy_button; its frontend crashes without it
    return new Component(id, "textbox", p, api("Textbox", "string", "Hello!!", "str", ""));
  }

  public static Component slider(int id, String label, int min, int max, int value) {
    Map<String, Object> p = props("minimum", min, "maximum", max, "value", value, "step", 1, "label", label);
    p.putAll(props("show_label", true, "container", true, "min_width", 160, "visible", true, "elem_classes", List.of()));
    p.putAll(props("preserved_by_key", List.of("value"), "show_reset_button", true, "name", "slider", "_selectable", false));
    // Python's view_api prints "float" for a Slider: JSON numbers arrive as 2 or 2.0 alike. The range in the
    // description is the slider's own, as Gradio writes it, so /info states the one limit the server checks.
    ObjectNode schema = (ObjectNode) schema("top_k");
    schema.put("description", "numeric value between " + min + " and " + max);
    return new Component(id, "slider", p, Optional.of(new ApiType("Slider", schema, min, "float", "")));
  }

  public static Component button(int id, String text) {
    Map<String, Object> p = props("value", text, "variant", "secondary", "size", "lg", "visible", true, "interactive", true);
    p.putAll(props("elem_classes", List.of(), "preserved_by_key", List.of("value"), "name", "button", "_selectable", false));
    return new Component(id, "button", p, Optional.empty());
  }

  public static Component gallery(int id, String label) {
    Map<String, Object> p = props("value", List.of(), "format", "webp", "label", label, "show_label", true, "container", true);
    p.putAll(props("min_width", 160, "visible", true, "elem_classes", List.of(), "preserved_by_key", List.of("value")));
    p.putAll(props("columns", 2, "allow_preview", true, "show_share_button", false, "show_download_button", true));
    p.putAll(props("type", "filepath", "show_fullscreen_button", true, "name", "gallery", "_selectable", false));
    p.put("buttons", List.of("download", "fullscreen")); // 6.x's name for the two show_*_button props above
    String py = "list[dict(image: filepath, caption: str | None) | dict(video: filepath, caption: str | None)]";
    return new Component(id, "gallery", p, api("Gallery", "gallery", List.of(), py, ""));
  }

  /** An image input of {@code type="filepath"}: the value is an ImageData dict whose path came from /upload. */
  public static Component image(int id, String label) {
    Map<String, Object> p = props("streamable", false, "format", "webp", "image_mode", "RGB", "sources", List.of("upload", "clipboard"));
    p.putAll(props("type", "filepath", "label", label, "show_label", true, "show_download_button", true, "container", true));
    p.putAll(props("min_width", 160, "visible", true, "streaming", false, "elem_classes", List.of(), "preserved_by_key", List.of("value")));
    p.putAll(props("webcam_options", props("mirror", true, "constraints", null), "show_share_button", false));
    p.putAll(props("show_fullscreen_button", true, "watermark", props("watermark", null, "position", "bottom-right")));
    p.putAll(props("name", "image", "_selectable", false));
    p.put("buttons", List.of("download", "fullscreen")); // 6.x's name for the show_*_button props above
    Map<String, Object> example = props("path", "https://example.com/bus.png", "meta", Map.of("_type", FileData.META_TYPE));
    example.putAll(props("orig_name", "bus.png", "url", "https://example.com/bus.png"));
    return new Component(id, "image", p, api("Image", "image", example, "filepath", "A local filepath or publicly available URL."));
  }

  public static Component row(int id) {
    return new Component(id, "row", props("variant", "default", "visible", true, "equal_height", false, "show_progress", false, "preserved_by_key", List.of(), "name", "row"), Optional.empty());
  }

  /** Tabs and their tab items: layout only (skip_api), so API clients see the same endpoints with or without them. */
  public static Component tabs(int id) {
    return new Component(id, "tabs", props("visible", true, "elem_classes", List.of(), "preserved_by_key", List.of(), "name", "tabs"), Optional.empty());
  }

  /** Gradio's {@code gr.Tab}: its block name, and so its config type, is {@code tabitem}. */
  public static Component tab(int id, String label) {
    Map<String, Object> p = props("label", label, "visible", true, "interactive", true, "elem_classes", List.of());
    p.putAll(props("preserved_by_key", List.of(), "render_children", false, "name", "tab"));
    return new Component(id, "tabitem", p, Optional.empty());
  }

  public static Component form(int id, int scale, int minWidth) {
    return new Component(id, "form", props("scale", scale, "min_width", minWidth, "preserved_by_key", List.of(), "name", "form"), Optional.empty());
  }

  /** The JSON schema stored under {@code key} in api-schemas.json. */
  public static JsonNode schema(String key) {
    JsonNode s = SCHEMAS.get(key);
    if (s == null) {
      throw new IllegalArgumentException("no schema " + key);
    }
    return s.deepCopy();
  }

  private static Optional<ApiType> api(String cls, String schemaKey, Object example, String py, String pyDescription) {
    return Optional.of(new ApiType(cls, schema(schemaKey), example, py, pyDescription));
  }

  private static Map<String, Object> props(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  private static JsonNode loadSchemas() {
    try (InputStream in = Components.class.getResourceAsStream("api-schemas.json")) {
      if (in == null) {
        throw new IllegalStateException("api-schemas.json missing from the classpath");
      }
      return GradioJson.MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
