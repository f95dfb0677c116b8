package dev.clipsearch.gradio;

import static dev.clipsearch.gradio.GoldenFiles.keys;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipsearch.search.Query;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** /info compared with fixtures/gradio/5.49.1/info.json. */
class InfoBuilderTest {
  final JsonNode golden;
  final JsonNode ours = new InfoBuilder(SearchAppBlocks.create(Query.MAX_K, Query.DEFAULT_K)).build();

  InfoBuilderTest() throws Exception {
    golden = GoldenFiles.json("5.49.1", "info.json");
  }

  @Test
  void namedEndpointsArePublicOnesOnly() {
    assertEquals(keys(golden), keys(ours));
    assertEquals(Set.of("/search", "/ingest", "/search_image"), keys(ours.get("named_endpoints")));
    assertEquals(0, ours.get("unnamed_endpoints").size());
  }

  @Test
  void endpointParameterAndReturnShapes() {
    for (String api : new String[] {"/search", "/ingest"}) {
      JsonNode g = golden.get("named_endpoints").get(api);
      JsonNode o = ours.get("named_endpoints").get(api);
      Set<String> endpointKeys = new HashSet<>(keys(g));
      endpointKeys.add("api_visibility"); // 6.x's flag, emitted next to 5.x's show_api
      assertEquals(endpointKeys, keys(o), api);
      assertEquals(g.get("parameters").size(), o.get("parameters").size());
      for (int i = 0; i < g.get("parameters").size(); i++) {
        JsonNode gp = g.get("parameters").get(i);
        JsonNode op = o.get("parameters").get(i);
        assertEquals(keys(gp), keys(op), api + " parameter " + i);
        for (String k : new String[] {"label", "parameter_name", "parameter_has_default", "parameter_default", "component"}) {
          assertEquals(gp.get(k), op.get(k), api + " parameter " + i + " " + k);
        }
        assertEquals(keys(gp.get("python_type")), keys(op.get("python_type")));
      }
      JsonNode gr = g.get("returns").get(0);
      JsonNode or = o.get("returns").get(0);
      assertEquals(keys(gr), keys(or));
      assertEquals(gr.get("label"), or.get("label"));
      assertEquals(gr.get("component"), or.get("component"));
      assertEquals(keys(gr.get("type")), keys(or.get("type")));
    }
  }

  @Test
  void searchImageParameters() {
    JsonNode p = ours.get("named_endpoints").get("/search_image").get("parameters");
    assertEquals("image", p.get(0).get("parameter_name").asText());
    assertEquals("Image", p.get(0).get("component").asText());
    assertEquals("top_k", p.get(1).get("parameter_name").asText());
    assertEquals(10, p.get(1).get("parameter_default").asInt());
  }
}
