package dev.clipsearch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Which clients get their completions held back (gradio issue #10354 affects gradio_client 1.x and older only). */
class LegacyClientsTest {
  @Test
  void gradioClient1xIsHeld() {
    assertEquals(LegacyClients.PYTHON_1X_COMPLETION_HOLD,
        LegacyClients.completionHold("gradio_client/1.13.3; hf_hub/1.33.0; python/3.11.7; torch/N/A"));
    assertEquals(LegacyClients.PYTHON_1X_COMPLETION_HOLD, LegacyClients.completionHold("unknown/None; gradio_client/1.3.0"));
  }

  @Test
  void currentClientsBrowsersAndMissingAgentsAreNot() {
    assertEquals(Duration.ZERO, LegacyClients.completionHold("gradio_client/2.7.2; hf_hub/2.4.0; python/3.11.7"));
    assertEquals(Duration.ZERO, LegacyClients.completionHold("node"));
    assertEquals(Duration.ZERO, LegacyClients.completionHold("Mozilla/5.0 (X11; Linux x86_64)"));
    assertEquals(Duration.ZERO, LegacyClients.completionHold("my_gradio_client/1.0"));
    assertEquals(Duration.ZERO, LegacyClients.completionHold(null));
  }
}
