package dev.clipsearch.gradio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Exact bytes of every frame: gradio_client accepts only "data: <one-line JSON>\n\n" on queue/data. */
class SseFramesTest {
  private static String s(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  @Test
  void estimationAndStartsMatchGradioFieldOrder() {
    assertEquals("data: {\"msg\":\"estimation\",\"event_id\":\"e1\",\"rank\":0,\"queue_size\":1,\"rank_eta\":null}\n\n",
        s(SseFrames.data(new ServerMessage.Estimation("e1", 0, 1, null))));
    assertEquals("data: {\"msg\":\"process_starts\",\"event_id\":\"e1\",\"eta\":0.25}\n\n",
        s(SseFrames.data(new ServerMessage.ProcessStarts("e1", 0.25))));
  }

  @Test
  void completedSuccessCarriesTheFullOutputObject() {
    EventOutput out = new EventOutput.Data(List.of("ok"), 0.5, 0.25);
    assertEquals("data: {\"msg\":\"process_completed\",\"event_id\":\"e1\",\"output\":{\"data\":[\"ok\"],\"is_generating\":false,"
            + "\"duration\":0.5,\"average_duration\":0.25,\"render_config\":null,\"changed_state_ids\":[]},\"success\":true,\"title\":null}\n\n",
        s(SseFrames.data(new ServerMessage.ProcessCompleted("e1", out, true, null))));
  }

  @Test
  void completedFailureAndCancelShapes() {
    assertEquals("data: {\"msg\":\"process_completed\",\"event_id\":\"e\",\"output\":{\"error\":\"bad\"},\"success\":false,\"title\":\"Error\"}\n\n",
        s(SseFrames.data(new ServerMessage.ProcessCompleted("e", new EventOutput.Error("bad"), false, "Error"))));
    assertEquals("data: {\"msg\":\"process_completed\",\"event_id\":\"e\",\"output\":{},\"success\":true,\"title\":null}\n\n",
        s(SseFrames.data(new ServerMessage.ProcessCompleted("e", new EventOutput.Cancelled(), true, null))));
  }

  @Test
  void controlMessagesKeepANullEventId() {
    assertEquals("data: {\"msg\":\"close_stream\",\"event_id\":null}\n\n", s(SseFrames.data(new ServerMessage.CloseStream())));
    assertEquals("data: {\"msg\":\"heartbeat\",\"event_id\":null}\n\n", s(SseFrames.data(new ServerMessage.Heartbeat())));
    assertEquals("data: {\"msg\":\"unexpected_error\",\"event_id\":null,\"message\":\"404: Not Found\",\"session_not_found\":true,\"success\":false}\n\n",
        s(SseFrames.data(new ServerMessage.UnexpectedError("404: Not Found", true))));
  }

  @Test
  void nonAsciiAndLineSeparatorsAreEscaped() {
    // U+2028/U+0085 split frames for gradio_client <= 1.10 (httpx iter_lines); newlines would end the data line.
    String caption = "caf\u00e9 \u00b7 a\u2028b\u0085c\u2029d\ne\r\u00000\uD83D\uDE00";
    byte[] frame = SseFrames.data(new ServerMessage.ProcessCompleted("e", new EventOutput.Error(caption), false, "Error"));
    String text = s(frame);
    for (byte b : frame) {
      assertTrue(b > 0 && b < 128, "non-ASCII byte " + b);
    }
    assertEquals(1, text.split("\n", -1).length - 2, "one line plus the blank terminator");
    assertTrue(text.contains("caf\\u00E9 \\u00B7 a\\u2028b\\u0085c\\u2029d\\ne\\r\\u00000\\uD83D\\uDE00"), text);
  }

  @Test
  void callFramesNameTheirEvent() {
    assertEquals("event: complete\ndata: [[1,2]]\n\n", s(SseFrames.event("complete", List.of(List.of(1, 2)))));
    assertEquals("event: heartbeat\ndata: null\n\n", s(SseFrames.event("heartbeat", null)));
    assertEquals("event: error\ndata: {\"error\":\"x\"}\n\n", s(SessionStreamer.callFrame(
        new ServerMessage.ProcessCompleted("e", new EventOutput.Error("x"), false, "Error"))));
    assertThrows(IllegalArgumentException.class, () -> SseFrames.event("bad\nname", null));
  }

  @Test
  void fixedFrames() {
    assertEquals("data: ALIVE\n\n", s(SseFrames.ALIVE));
    assertEquals("data: {\"msg\":\"done\"}\n\n", s(SseFrames.UPLOAD_DONE));
  }
}
