package dev.clipsearch.gradio;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The UI tree: {@code {"id": 0, "children": [...]}}; leaves have no children key, as in Gradio's output. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record LayoutNode(@JsonProperty("id") int id, @JsonProperty("children") List<LayoutNode> children) {
  public LayoutNode {
    children = List.copyOf(children);
  }

  public static LayoutNode leaf(int id) {
    return new LayoutNode(id, List.of());
  }

  public static LayoutNode of(int id, LayoutNode... children) {
    return new LayoutNode(id, List.of(children));
  }
}
