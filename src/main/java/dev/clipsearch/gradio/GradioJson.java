package dev.clipsearch.gradio;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The two Jackson mappers of the protocol. Both are thread-safe once built and write compact JSON with nulls kept
 * (Python does {@code resp["event_id"]}, so a dropped null field is a KeyError on the client).
 */
public final class GradioJson {
  /** For plain HTTP bodies (config, info, join responses). */
  public static final ObjectMapper MAPPER = base().build();

  /**
   * For SSE payloads: every non-ASCII character is written as a {@code \\uXXXX} escape. gradio_client ≤ 1.10.0 reads
   * the stream with httpx {@code iter_lines()}, which also splits on U+0085/U+2028/U+2029, so one raw U+2028 inside a
   * caption cuts a frame in half and cancels the job (docs/gradio-protocol.md, "SSE framing").
   */
  public static final ObjectMapper SSE_MAPPER = base().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

  private GradioJson() {}

  private static JsonMapper.Builder base() {
    // Empty records (e.g. the {} output of a cancelled event) must serialise as {} instead of failing.
    return JsonMapper.builder().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
  }
}
