package dev.clipsearch.gradio;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Parsing and validation of request bodies (Gradio's PredictBody and friends). Unknown fields are ignored: JS adds
 * event_data/trigger_id, the UI sends more, 6.x adds oauth_token. Errors use Gradio's statuses and detail shapes:
 * missing data → 422 with a pydantic-style list, missing session_hash → 400 "Session hash not found.".
 */
public final class Requests {
  /** Longer session ids are refused: they are map keys and log fields (Python sends 36 chars, JS ~11). */
  static final int MAX_SESSION_HASH = 128;

  private Requests() {}

  /** POST queue/join. */
  public record Join(List<JsonNode> data, int fnIndex, String sessionHash) {}

  /** POST call/{api}, run/{api}, api/{api}: {@code fnIndex} wins over the api name when present (route_utils.get_fn). */
  public record Predict(List<JsonNode> data, Optional<Integer> fnIndex) {}

  /** One entry of a 422 detail list, in pydantic's shape (JS reads it as validation_error, Python as ValidationError). */
  @JsonPropertyOrder({"type", "loc", "msg"})
  public record Issue(@JsonProperty("type") String type, @JsonProperty("loc") List<Object> loc, @JsonProperty("msg") String msg) {
    public Issue {
      loc = List.copyOf(loc);
    }
  }

  public static JsonNode parseJson(byte[] body) {
    try {
      JsonNode n = GradioJson.MAPPER.readTree(body);
      if (n == null || !n.isObject()) {
        throw invalid("model_attributes_type", List.of("body"), "Input should be a valid dictionary or object");
      }
      return n;
    } catch (JsonProcessingException e) {
      throw invalid("json_invalid", List.of("body", (int) Math.max(0, e.getLocation() == null ? 0 : e.getLocation().getCharOffset())), "JSON decode error");
    } catch (java.io.IOException e) {
      throw invalid("json_invalid", List.of("body"), "JSON decode error");
    }
  }

  public static Join join(JsonNode body) {
    List<JsonNode> data = data(body);
    JsonNode fn = body.get("fn_index");
    if (fn == null || !fn.canConvertToInt() || !fn.isIntegralNumber()) {
      throw invalid(fn == null ? "missing" : "int_type", List.of("body", "fn_index"), fn == null ? "Field required" : "Input should be a valid integer");
    }
    JsonNode sh = body.get("session_hash");
    if (sh == null || !sh.isTextual() || sh.asText().isEmpty()) {
      throw new GradioException(GradioException.Kind.BAD_REQUEST, "Session hash not found.");
    }
    return new Join(data, fn.asInt(), sessionHash(sh.asText()));
  }

  public static Predict predict(JsonNode body) {
    List<JsonNode> data = data(body);
    JsonNode fn = body.get("fn_index");
    Optional<Integer> fnIndex = fn != null && fn.isIntegralNumber() && fn.canConvertToInt() ? Optional.of(fn.asInt()) : Optional.empty();
    return new Predict(data, fnIndex);
  }

  /** POST cancel / reset: the event id, if any (both answer success regardless, like Gradio). */
  public static Optional<String> eventId(JsonNode body) {
    JsonNode id = body.get("event_id");
    return id != null && id.isTextual() ? Optional.of(id.asText()) : Optional.empty();
  }

  /**
   * One value per input of {@code d}. Fewer values are padded with null, as Gradio's /call does; the function then
   * applies its defaults. More values are a 422.
   */
  static List<JsonNode> inputs(Dependency d, List<JsonNode> data) {
    if (data.size() > d.inputs().size()) {
      throw new GradioException(GradioException.Kind.VALIDATION, List.of(new Issue("too_long", List.of("body", "data"),
          "Expected at most " + d.inputs().size() + " values, got " + data.size() + ".")));
    }
    List<JsonNode> inputs = new ArrayList<>(data);
    while (inputs.size() < d.inputs().size()) {
      inputs.add(NullNode.getInstance());
    }
    return inputs;
  }

  public static String sessionHash(String s) {
    if (s == null || s.isEmpty()) {
      throw new GradioException(GradioException.Kind.BAD_REQUEST, "Session hash not found.");
    }
    if (s.length() > MAX_SESSION_HASH) {
      throw new GradioException(GradioException.Kind.BAD_REQUEST, "Session hash too long.");
    }
    return s;
  }

  private static List<JsonNode> data(JsonNode body) {
    JsonNode data = body.get("data");
    if (data == null) {
      throw invalid("missing", List.of("body", "data"), "Field required");
    }
    if (!data.isArray()) {
      throw invalid("list_type", List.of("body", "data"), "Input should be a valid list");
    }
    List<JsonNode> out = new ArrayList<>();
    data.forEach(out::add);
    return out;
  }

  private static GradioException invalid(String type, List<Object> loc, String msg) {
    return new GradioException(GradioException.Kind.VALIDATION, List.of(new Issue(type, loc, msg)));
  }
}
