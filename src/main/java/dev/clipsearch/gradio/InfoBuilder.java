package dev.clipsearch.gradio;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds {@code GET {p}/info} (5.x shape plus 6.x's {@code api_visibility}). {@code parameter_name} is the keyword of
 * {@code client.predict(query=..., top_k=...)}, and {@code parameter_default} fills omitted arguments, so both must match
 * {@link Dependency.Parameter}. Private listeners are left out, as Gradio does. Built once; immutable afterwards.
 */
public final class InfoBuilder {
  private static final ObjectMapper M = GradioJson.MAPPER;
  private final ObjectNode info;

  public InfoBuilder(Blocks blocks) {
    info = M.createObjectNode();
    ObjectNode named = info.putObject("named_endpoints");
    for (Dependency d : blocks.dependencies()) {
      d.apiName().ifPresent(name -> named.set("/" + name, endpoint(blocks, d)));
    }
    info.putObject("unnamed_endpoints");
  }

  public ObjectNode build() {
    return info.deepCopy();
  }

  private static ObjectNode endpoint(Blocks blocks, Dependency d) {
    ObjectNode e = M.createObjectNode();
    ArrayNode params = e.putArray("parameters");
    for (int i = 0; i < d.inputs().size(); i++) {
      Component c = blocks.component(d.inputs().get(i));
      ApiType api = c.api().orElseThrow();
      Dependency.Parameter p = d.parameters().get(i);
      ObjectNode n = params.addObject();
      n.put("label", c.label()).put("parameter_name", p.name()).put("parameter_has_default", p.defaultValue().isPresent());
      n.set("parameter_default", M.valueToTree(p.defaultValue().orElse(null)));
      n.set("type", api.schema());
      n.putObject("python_type").put("type", api.pythonType()).put("description", api.pythonDescription());
      n.put("component", api.className());
      n.set("example_input", M.valueToTree(api.exampleInput()));
    }
    ArrayNode returns = e.putArray("returns");
    for (int id : d.outputs()) {
      Component c = blocks.component(id);
      ApiType api = c.api().orElseThrow();
      ObjectNode n = returns.addObject();
      n.put("label", c.label());
      n.set("type", api.schema());
      n.putObject("python_type").put("type", api.pythonType()).put("description", api.pythonDescription());
      n.put("component", api.className());
    }
    e.put("show_api", true).put("api_visibility", "public").put("description", "");
    return e;
  }
}
