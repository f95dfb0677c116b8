package dev.clipsearch.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.clipsearch.gradio.GradioJson;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gradio's page, {@code frontend/index.html} from the gradio wheel, filled the way a Gradio server fills it for
 * {@code GET /} (docs/gradio-frontend.md). The file is a Jinja template, but the 4.44, 5.49 and 6.25 pages use only
 * a handful of {@code {{ ... }}} expressions: the config and API info as script-safe JSON, a few config strings for
 * meta tags, the body colours and a base URL. Those are rendered here; a template with any other expression (a
 * future Gradio) is refused when the server starts, rather than served half-rendered.
 *
 * <p>The template is split once into literal text and expressions; each request only joins them. Thread-safe.
 */
final class GradioPage {
  private static final Pattern EXPRESSION = Pattern.compile("\\{\\{\\s*(.*?)\\s*}}|\\{%");
  private static final Pattern BODY_CSS = Pattern.compile("config\\.get\\('body_css', \\{}\\)\\.get\\('(\\w+)', '([^']*)'\\)");
  private static final Pattern CONFIG_STRING = Pattern.compile("config\\['(\\w+)'] or ''");

  /** What the expressions read: the config for this request and the API info. */
  record Context(JsonNode config, JsonNode apiInfo) {}

  private final List<Function<Context, String>> parts;

  private GradioPage(List<Function<Context, String>> parts) {
    this.parts = parts;
  }

  /** @throws IllegalArgumentException naming the first expression this renderer does not know */
  static GradioPage parse(String template) {
    List<Function<Context, String>> parts = new ArrayList<>();
    Matcher m = EXPRESSION.matcher(template);
    int last = 0;
    while (m.find()) {
      String text = template.substring(last, m.start());
      parts.add(c -> text);
      if (m.group(1) == null) {
        throw new IllegalArgumentException("Gradio's index.html has a {% ... %} block, which this server does not render");
      }
      parts.add(expression(m.group(1)));
      last = m.end();
    }
    String tail = template.substring(last);
    parts.add(c -> tail);
    return new GradioPage(List.copyOf(parts));
  }

  String render(JsonNode config, JsonNode apiInfo) {
    Context c = new Context(config, apiInfo);
    StringBuilder out = new StringBuilder(64 * 1024);
    parts.forEach(p -> out.append(p.apply(c)));
    return out.toString();
  }

  private static Function<Context, String> expression(String e) {
    switch (e) {
      case "config | toorjson":
        return c -> scriptJson(c.config());
      case "gradio_api_info | toorjson":
        return c -> scriptJson(c.apiInfo());
      case "config.get('root', '') | toorjson":
        return c -> scriptJson(c.config().path("root").isMissingNode() ? GradioJson.MAPPER.getNodeFactory().textNode("")
            : c.config().get("root"));
      case "base_url | default('./')":
        return c -> "./"; // Gradio's value for every page but its run-history one, which we do not serve
      default:
        break;
    }
    Matcher body = BODY_CSS.matcher(e);
    if (body.matches()) {
      String key = body.group(1);
      String fallback = body.group(2);
      return c -> html(c.config().path("body_css").path(key).asText(fallback));
    }
    Matcher string = CONFIG_STRING.matcher(e);
    if (string.matches()) {
      String key = string.group(1);
      return c -> c.config().path(key).isTextual() ? html(c.config().get(key).asText()) : "";
    }
    throw new IllegalArgumentException("Gradio's index.html uses {{ " + e + " }}, which this server does not render");
  }

  /** JSON that cannot end the script element it sits in: Gradio's {@code toorjson} filter escapes the same four. */
  static String scriptJson(JsonNode value) {
    try {
      return GradioJson.MAPPER.writeValueAsString(value).replace("<", "\\u003c").replace(">", "\\u003e")
          .replace("&", "\\u0026").replace("'", "\\u0027");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode the page's JSON", e);
    }
  }

  /** Jinja's autoescape for text in attributes and elements. */
  static String html(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&#34;").replace("'", "&#39;");
  }
}
