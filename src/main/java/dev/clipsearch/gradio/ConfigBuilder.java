package dev.clipsearch.gradio;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Builds {@code GET /config}, shaped like Gradio 5.49.1 (fixtures/gradio/5.49.1/config.json). The body is built once;
 * only {@code root} changes per request. Thread-safe: the template is never mutated after construction.
 */
public final class ConfigBuilder {
  /**
   * Any version ≥ 4.29.0 parses: Python fetches /info locally only above 3.36.1 (else it posts the config to an
   * external HF service) and uses /cancel only above 4.29.0. 5.x best matches the verified UI bundle.
   */
  public static final String VERSION = "5.49.1";

  /** sse_v3: join + one multiplexed stream per session, closed by close_stream (docs/gradio-protocol.md). */
  public static final String PROTOCOL = "sse_v3";

  private static final ObjectMapper M = GradioJson.MAPPER;
  private final ObjectNode template;

  /**
   * @param appId below 2^53 so that JS reads it exactly (a double); Gradio's own ids go up to 2^64
   * @param maxFileSizeBytes reported so Python refuses oversized uploads before sending them
   */
  public ConfigBuilder(Blocks blocks, long appId, long maxFileSizeBytes) {
    if (appId < 0 || appId >= (1L << 53)) {
      throw new IllegalArgumentException("app_id must be in [0, 2^53)");
    }
    ObjectNode c = M.createObjectNode();
    c.put("version", VERSION).put("api_prefix", Routes.API_PREFIX).put("mode", "blocks").put("app_id", appId);
    c.put("dev_mode", false).put("vibe_mode", false).put("analytics_enabled", false);
    ArrayNode comps = c.putArray("components");
    blocks.components().forEach(comp -> comps.add(component(comp)));
    c.put("css", "").put("connect_heartbeat", false).put("js", "").put("head", "").put("title", blocks.title());
    c.putNull("space_id");
    c.put("enable_queue", true).put("show_error", true).put("show_api", true).put("is_colab", false);
    c.put("max_file_size", maxFileSizeBytes);
    c.putArray("stylesheets"); // Gradio lists Google Fonts here; we load nothing from third parties.
    c.put("theme", "default").put("protocol", PROTOCOL);
    ObjectNode body = c.putObject("body_css");
    body.put("body_background_fill", "white").put("body_text_color", "#27272a");
    body.put("body_background_fill_dark", "#0f0f11").put("body_text_color_dark", "#f4f4f5");
    c.put("fill_height", false).put("fill_width", false).put("theme_hash", sha256("clip-search-theme-1"));
    c.put("pwa", false);
    c.putArray("pages").addArray().add("").add("Home").add(true);
    // The 5.x UI (lite 5.45) crashes without page/pages.
    ObjectNode page = c.putObject("page").putObject("");
    page.set("layout", M.valueToTree(blocks.layout()));
    ArrayNode pageComps = page.putArray("components");
    blocks.components().forEach(comp -> pageComps.add(comp.id()));
    ArrayNode pageDeps = page.putArray("dependencies");
    blocks.dependencies().forEach(d -> pageDeps.add(d.id()));
    c.put("mcp_server", false).putNull("i18n_translations");
    ArrayNode deps = c.putArray("dependencies");
    blocks.dependencies().forEach(d -> deps.add(dependency(d)));
    c.set("layout", M.valueToTree(blocks.layout()));
    c.putNull("username");
    c.putNull("root");
    this.template = c;
  }

  /** The config for one request; {@code root} as computed by {@link RootUrl}. */
  public ObjectNode build(String root) {
    ObjectNode c = template.deepCopy();
    c.put("root", root);
    return c;
  }

  private static ObjectNode component(Component comp) {
    ObjectNode n = M.createObjectNode();
    n.put("id", comp.id()).put("type", comp.type());
    n.set("props", M.valueToTree(comp.props()));
    n.put("skip_api", comp.skipApi()).put("component_class_id", sha256("dev.clipsearch." + comp.type()));
    n.putNull("key");
    comp.api().ifPresent(api -> {
      n.set("api_info", api.schema());
      n.set("api_info_as_input", api.schema());
      n.set("api_info_as_output", api.schema());
      n.set("example_inputs", M.valueToTree(api.exampleInput()));
    });
    return n;
  }

  private static ObjectNode dependency(Dependency d) {
    ObjectNode n = M.createObjectNode();
    n.put("id", d.id());
    n.putArray("targets").addArray().add(d.triggerId()).add(d.triggerEvent());
    n.set("inputs", M.valueToTree(d.inputs()));
    n.set("outputs", M.valueToTree(d.outputs()));
    n.put("backend_fn", true).putNull("js");
    // queue:true keeps JS on queue/join; queue:false would send it to /run/{api}.
    n.put("queue", true);
    // 4.x/5.x mark a private listener with api_name:false + show_api:false, 6.x with api_visibility; all five
    // verified clients accept both at once.
    if (d.apiName().isPresent()) {
      n.put("api_name", d.apiName().get());
    } else {
      n.put("api_name", false);
    }
    n.putNull("api_description").put("scroll_to_output", false).put("show_progress", "full").putNull("show_progress_on");
    n.put("batch", false).put("max_batch_size", 4);
    n.putArray("cancels");
    n.putObject("types").put("generator", false).put("cancel", false);
    n.put("collects_event_data", false).putNull("trigger_after");
    n.put("trigger_only_on_success", false).put("trigger_only_on_failure", false).put("trigger_mode", "once");
    n.put("show_api", d.apiName().isPresent()).put("api_visibility", d.apiName().isPresent() ? "public" : "private");
    n.putNull("rendered_in").putNull("render_id").put("connection", "sse").putNull("time_limit");
    n.put("stream_every", 0.5).put("like_user_message", false).putNull("event_specific_args").putNull("js_implementation");
    return n;
  }

  static String sha256(String s) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // every JRE ships SHA-256
    }
  }

  /** For tests: the component ids named by the layout, depth first. */
  static List<Integer> layoutIds(LayoutNode n, List<Integer> into) {
    into.add(n.id());
    n.children().forEach(ch -> layoutIds(ch, into));
    return into;
  }
}
