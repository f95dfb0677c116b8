package dev.clipsearch.gradio;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;

/**
 * The one SSE encoder. Every frame is built here so that its exact bytes are unit-tested in one place.
 *
 * <ul>
 *   <li>{@code /queue/data} frames are exactly {@code data: <one-line JSON>\n\n}: gradio_client splits on
 *       {@code \n\n}, requires each chunk to start with {@code data:} and raises "Unexpected SSE line" on anything
 *       else, so no {@code event:}/{@code id:}/comment lines and no CRLF (docs/gradio-protocol.md, "SSE framing"). That
 *       is why this is written by hand instead of with Javalin's {@code SseClient.sendEvent}, which always adds an
 *       {@code event:} line.
 *   <li>{@code /call} frames do carry {@code event: <name>} (that route is for curl and EventSource).
 *   <li>Payloads are pure ASCII (see {@link GradioJson#SSE_MAPPER}); Jackson escapes control characters, so the JSON
 *       never contains a raw line break.
 * </ul>
 */
public final class SseFrames {
  /** The heartbeat route's frame, sent at once and then every interval. */
  public static final byte[] ALIVE = ascii("data: ALIVE\n\n");

  /** The only frame of {@code /upload_progress}: we receive uploads in one request, so it is always done. */
  public static final byte[] UPLOAD_DONE = ascii("data: {\"msg\":\"done\"}\n\n");

  private SseFrames() {}

  /** A {@code /queue/data} frame. */
  public static byte[] data(ServerMessage message) {
    return ascii("data: " + json(message) + "\n\n");
  }

  /** A {@code /call/{api}/{event_id}} frame: {@code event: complete|error|heartbeat}. */
  public static byte[] event(String name, Object payload) {
    if (!name.matches("[a-z_]+")) {
      throw new IllegalArgumentException("bad SSE event name: " + name);
    }
    return ascii("event: " + name + "\ndata: " + json(payload) + "\n\n");
  }

  static String json(Object value) {
    try {
      return GradioJson.SSE_MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      // Our own records always serialise; a failure here is a programming error.
      throw new IllegalStateException("cannot encode SSE payload", e);
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
