package dev.clipsearch.gradio;

import static dev.clipsearch.gradio.GoldenFiles.keys;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipsearch.search.Query;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** /config compared with fixtures/gradio/5.49.1/config.json (same app plus search_image). */
class ConfigBuilderTest {
  final JsonNode golden;
  final JsonNode golden6;
  final JsonNode ours = new ConfigBuilder(SearchAppBlocks.create(Query.MAX_K, Query.DEFAULT_K), 42, 1234).build("http://h:1");

  ConfigBuilderTest() throws Exception {
    golden = GoldenFiles.json("5.49.1", "config.json");
    golden6 = GoldenFiles.json("6.25.0", "config.json");
  }

  @Test
  void topLevelKeysAndProtocolDecisions() {
    assertEquals(keys(golden), keys(ours));
    assertEquals("5.49.1", ours.get("version").asText());
    assertEquals("sse_v3", ours.get("protocol").asText());
    assertEquals("/gradio_api", ours.get("api_prefix").asText());
    assertEquals("http://h:1", ours.get("root").asText());
    assertEquals(42, ours.get("app_id").asLong());
    assertEquals(1234, ours.get("max_file_size").asLong());
    assertTrue(ours.get("enable_queue").asBoolean());
    assertFalse(ours.get("connect_heartbeat").asBoolean());
    assertEquals(keys(golden.get("page").get("")), keys(ours.get("page").get("")));
    assertEquals(golden.get("pages"), ours.get("pages"));
  }

  @Test
  void componentsHaveTheGoldenShapeForEachType() {
    Map<String, JsonNode> goldenByType = new HashMap<>();
    golden.get("components").forEach(c -> goldenByType.putIfAbsent(c.get("type").asText(), c));
    Map<String, JsonNode> golden6ByType = new HashMap<>();
    golden6.get("components").forEach(c -> golden6ByType.putIfAbsent(c.get("type").asText(), c));
    for (JsonNode c : ours.get("components")) {
      JsonNode g = goldenByType.get(c.get("type").asText());
      if (g == null) {
        continue; // tabs: the reference app has none (see layoutPutsTheInputsInTabsAboveTheGallery)
      }
      assertEquals(keys(g), keys(c), "component keys of " + c.get("type"));
      // 5.49.1's props, plus those 6.x renamed (buttons): its frontend reads them, 5.x's ignores them.
      Set<String> props = new HashSet<>(keys(c.get("props")));
      props.removeAll(keys(g.get("props")));
      for (String extra : props) {
        assertTrue(golden6ByType.get(c.get("type").asText()).get("props").has(extra), "6.x has " + c.get("type") + "." + extra);
      }
      assertTrue(keys(c.get("props")).containsAll(keys(g.get("props"))), "props of " + c.get("type"));
      assertEquals(g.get("skip_api"), c.get("skip_api"));
      if (g.has("api_info")) {
        assertEquals(keys(g.get("api_info")), keys(c.get("api_info")), "api_info of " + c.get("type"));
      }
    }
    // ids 1..11 are the reference app's: same types in the same places.
    for (JsonNode g : golden.get("components")) {
      assertEquals(g.get("type"), component(ours, g.get("id").asInt()).get("type"), "type of id " + g.get("id"));
      if (g.get("props").has("label")) {
        assertEquals(g.get("props").get("label"), component(ours, g.get("id").asInt()).get("props").get("label"));
      }
    }
    assertTrue(component(ours, 5).get("props").get("interactive").asBoolean(), "buttons must be interactive for the UI");
  }

  @Test
  void dependenciesMatchTheReferenceAndAddBothVisibilityFlags() {
    Set<String> expected = new HashSet<>(keys(golden.get("dependencies").get(0)));
    expected.add("api_visibility");
    for (JsonNode d : ours.get("dependencies")) {
      assertEquals(expected, keys(d));
    }
    for (int i = 0; i < 3; i++) {
      JsonNode g = golden.get("dependencies").get(i);
      JsonNode d = ours.get("dependencies").get(i);
      for (String k : List.of("id", "targets", "inputs", "outputs", "api_name", "show_api", "queue", "types")) {
        assertEquals(g.get(k), d.get(k), "dependency " + i + " " + k);
      }
    }
    assertEquals("private", ours.get("dependencies").get(1).get("api_visibility").asText());
    JsonNode si = ours.get("dependencies").get(3);
    assertEquals("search_image", si.get("api_name").asText());
    assertEquals("public", si.get("api_visibility").asText());
  }

  @Test
  void everyReferencedIdExistsAndTheLayoutNamesEachComponentOnce() {
    Set<Integer> ids = new HashSet<>();
    ours.get("components").forEach(c -> ids.add(c.get("id").asInt()));
    for (JsonNode d : ours.get("dependencies")) {
      d.get("inputs").forEach(i -> assertTrue(ids.contains(i.asInt())));
      d.get("outputs").forEach(i -> assertTrue(ids.contains(i.asInt())));
    }
    List<Integer> layout = ConfigBuilder.layoutIds(SearchAppBlocks.create(Query.MAX_K, Query.DEFAULT_K).layout(), new ArrayList<>());
    assertEquals(0, layout.get(0));
    assertEquals(ids, new HashSet<>(layout.subList(1, layout.size())));
    assertEquals(ids.size(), layout.size() - 1, "no duplicates");
    assertFalse(ours.get("layout").get("children").get(1).has("children"), "leaves have no children key");
  }

  @Test
  void layoutPutsTheInputsInTabsAboveTheGallery() {
    JsonNode children = ours.get("layout").get("children");
    assertEquals(2, children.size());
    assertEquals("tabs", component(ours, children.get(0).get("id").asInt()).get("type").asText());
    assertEquals(6, children.get(1).get("id").asInt(), "the gallery, shared by both searches, under the tabs");
    List<String> labels = new ArrayList<>();
    for (JsonNode tab : children.get(0).get("children")) {
      JsonNode c = component(ours, tab.get("id").asInt());
      assertEquals("tabitem", c.get("type").asText());
      assertTrue(c.get("skip_api").asBoolean(), "layout is not an API value");
      labels.add(c.get("props").get("label").asText());
    }
    assertEquals(List.of("Search by text", "Search by image", "Add images"), labels);
  }

  @Test
  void rootIsPerRequestAndTheTemplateIsNotShared() {
    ConfigBuilder b = new ConfigBuilder(SearchAppBlocks.create(Query.MAX_K, Query.DEFAULT_K), 1, 1);
    b.build("http://a").put("title", "changed");
    assertEquals("https://b", b.build("https://b").get("root").asText());
    assertEquals("Text-to-Image Search", b.build("x").get("title").asText());
  }

  @Test
  void appIdMustBeExactInJavaScript() {
    assertThrows(IllegalArgumentException.class, () -> new ConfigBuilder(SearchAppBlocks.create(Query.MAX_K, Query.DEFAULT_K), 1L << 53, 1));
    assertThrows(IllegalArgumentException.class, () -> new ConfigBuilder(SearchAppBlocks.create(Query.MAX_K, Query.DEFAULT_K), -1, 1));
  }

  private static JsonNode component(JsonNode config, int id) {
    for (JsonNode c : config.get("components")) {
      if (c.get("id").asInt() == id) return c;
    }
    throw new AssertionError("no component " + id);
  }
}
