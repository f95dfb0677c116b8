package dev.clipsearch.gradio;

import java.util.List;
import java.util.Optional;

/**
 * One entry of {@code config.dependencies}: an event listener. Its {@code id} is the {@code fn_index} clients send in
 * {@code queue/join}.
 *
 * @param apiName empty for a private listener (the Enter-key twin of search): no client may call it by name
 * @param parameters one per input, in order: the Python argument names used for keyword calls
 */
public record Dependency(
    int id,
    int triggerId,
    String triggerEvent,
    List<Integer> inputs,
    List<Integer> outputs,
    Optional<String> apiName,
    List<Parameter> parameters) {
  public Dependency {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    parameters = List.copyOf(parameters);
    if (parameters.size() != inputs.size()) {
      throw new IllegalArgumentException("one parameter per input");
    }
  }

  /**
   * A parameter of a named endpoint. {@code defaultValue} fills keyword calls that omit it (Python
   * {@code construct_args} reads {@code parameter_default} from /info).
   */
  public record Parameter(String name, Optional<Object> defaultValue) {
    public static Parameter required(String name) {
      return new Parameter(name, Optional.empty());
    }

    public static Parameter withDefault(String name, Object value) {
      return new Parameter(name, Optional.of(value));
    }
  }
}
