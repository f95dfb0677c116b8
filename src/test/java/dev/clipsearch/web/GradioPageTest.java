package dev.clipsearch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clipsearch.gradio.GradioJson;
import org.junit.jupiter.api.Test;

/** Filling Gradio's index.html template: the expressions the 4.44, 5.49 and 6.25 pages use, and nothing else. */
class GradioPageTest {
  private final ObjectNode config = GradioJson.MAPPER.createObjectNode();
  private final JsonNode info = GradioJson.MAPPER.createObjectNode().put("named_endpoints", "x");

  GradioPageTest() {
    config.put("title", "Cats & \"dogs\"").put("root", "http://h:1");
    config.putObject("body_css").put("body_background_fill", "white");
  }

  @Test
  void jsonCannotCloseTheScriptItSitsIn() {
    config.put("css", "</script><script>alert(1)</script>");
    String page = GradioPage.parse("<script>window.gradio_config = {{ config | toorjson }};</script>").render(config, info);
    assertTrue(page.contains("\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"), page);
    assertEquals(1, page.split("</script>", -1).length - 1, "only the template's own closing tag");
  }

  @Test
  void rendersEachExpressionGradiosPagesUse() {
    String template = "{{ config['title'] or '' }}|{{ config['thumbnail'] or '' }}|"
        + "{{ config.get('body_css', {}).get('body_background_fill', 'white') }}|"
        + "{{ config.get('body_css', {}).get('body_text_color_dark', '#f3f4f6') }}|"
        + "{{ gradio_api_info | toorjson }}|{{ config.get('root', '') | toorjson }}|{{ base_url | default('./') }}";
    assertEquals("Cats &amp; &#34;dogs&#34;||white|#f3f4f6|{\"named_endpoints\":\"x\"}|\"http://h:1\"|./",
        GradioPage.parse(template).render(config, info));
  }

  @Test
  void anExpressionItDoesNotKnowIsRefusedAtParse() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GradioPage.parse("<p>{{ config['title'] | upper }}</p>"));
    assertTrue(e.getMessage().contains("config['title'] | upper"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> GradioPage.parse("{% if config %}x{% endif %}"));
  }
}
