package dev.clipsearch.gradio;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** The {@code output} object of {@code process_completed}, also the body of {@code /run}. */
public sealed interface EventOutput {
  /** Success: one value per output component, in dependency order. */
  @JsonPropertyOrder({"data", "is_generating", "duration", "average_duration", "render_config", "changed_state_ids"})
  record Data(
      @JsonProperty("data") List<Object> data,
      @JsonProperty("duration") double durationSeconds,
      @JsonProperty("average_duration") double averageDurationSeconds)
      implements EventOutput {
    public Data {
      data = List.copyOf(data);
    }

    @JsonProperty("is_generating")
    public boolean isGenerating() {
      return false;
    }

    @JsonProperty("render_config")
    public Object renderConfig() {
      return null;
    }

    @JsonProperty("changed_state_ids")
    public List<Integer> changedStateIds() {
      return List.of();
    }
  }

  /**
   * Failure. Python raises {@code AppError(error)} when the key is present and non-null; a null error makes it print
   * "has not enabled verbose error reporting" instead, so the message is always sent.
   */
  record Error(@JsonProperty("error") String error) implements EventOutput {}

  /** A cancelled event completes with {@code output:{}} and {@code success:true}, as Gradio does. */
  record Cancelled() implements EventOutput {}
}
