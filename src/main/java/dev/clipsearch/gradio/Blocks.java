package dev.clipsearch.gradio;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A whole app: what {@code /config} and {@code /info} describe. Validated so the clients' lookups cannot fail. */
public record Blocks(String title, List<Component> components, List<Dependency> dependencies, LayoutNode layout) {
  public Blocks {
    components = List.copyOf(components);
    dependencies = List.copyOf(dependencies);
    Map<Integer, Component> ids = new HashMap<>();
    components.forEach(c -> ids.put(c.id(), c));
    for (Dependency d : dependencies) {
      // Python does next(c for c in components if c["id"] == id): a dangling id is a StopIteration at connect.
      for (int id : d.inputs()) require(ids.containsKey(id), "unknown input component " + id);
      for (int id : d.outputs()) require(ids.containsKey(id), "unknown output component " + id);
      require(ids.containsKey(d.triggerId()), "unknown trigger " + d.triggerId());
      for (int id : d.inputs()) require(!ids.get(id).skipApi(), "input " + id + " has no API type");
    }
    for (int i = 0; i < dependencies.size(); i++) {
      require(dependencies.get(i).id() == i, "dependency ids must equal their index (fn_index)");
    }
  }

  public Component component(int id) {
    return components.stream().filter(c -> c.id() == id).findFirst().orElseThrow();
  }

  public Optional<Dependency> byApiName(String apiName) {
    String name = apiName.startsWith("/") ? apiName.substring(1) : apiName;
    return dependencies.stream().filter(d -> d.apiName().filter(name::equals).isPresent()).findFirst();
  }

  public Optional<Dependency> byFnIndex(int fnIndex) {
    return fnIndex >= 0 && fnIndex < dependencies.size() ? Optional.of(dependencies.get(fnIndex)) : Optional.empty();
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
