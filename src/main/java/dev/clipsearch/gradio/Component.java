package dev.clipsearch.gradio;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One entry of {@code config.components}. Layout blocks and buttons have no {@link ApiType}: they are emitted with
 * {@code skip_api:true}, which tells Python not to expect a value for them.
 *
 * @param type lowercase Gradio type name ({@code textbox}, {@code row}, ...)
 * @param props the UI properties; the browser UI needs labels, and {@code interactive:true} on buttons (a button
 *     without it renders disabled)
 */
public record Component(int id, String type, Map<String, Object> props, Optional<ApiType> api) {
  public Component {
    // Insertion order kept so the config reads like Gradio's; null values are legal props.
    props = Collections.unmodifiableMap(new LinkedHashMap<>(props));
  }

  public boolean skipApi() {
    return api.isEmpty();
  }

  /** The label shown in the UI and printed by view_api(). */
  public String label() {
    Object l = props.get("label");
    return l == null ? "" : l.toString();
  }
}
