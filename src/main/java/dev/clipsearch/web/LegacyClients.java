package dev.clipsearch.web;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Accommodations for known bugs of old official clients, recognised by their User-Agent (gradio_client sends
 * {@code gradio_client/<version>; hf_hub/...} through huggingface_hub's build_hf_headers).
 */
final class LegacyClients {
  /**
   * gradio_client ≤ 1.x adds an event id to its pending set only after queue/join has returned, while its stream thread
   * may already be reading that event's {@code process_completed}; the stream thread then dies with a KeyError and
   * every job of the Client is cancelled (gradio issue #10354; 2.x registers before it reads). Real Gradio hides the
   * race behind its queue loop's pickup delay; our fast path exposes it to concurrent {@code submit()}s. Only
   * concurrent joins are held (Session#holdCompletions). Measured with 1.13.3 on 2 cores under 4 busy loops, rounds of
   * three batches of six concurrent submits: 50 ms on every join lost 1 round of 40; 100 ms on joins into an open
   * stream only lost 9 of 80; 100 ms on concurrent joins lost none of 80, and one call at a time stays at 101 ms
   * (2.x: 100 ms; 50 ms on every join: 98 ms; 100 ms on every join: 156 ms).
   */
  static final Duration PYTHON_1X_COMPLETION_HOLD = Duration.ofMillis(100);
  private static final Pattern PYTHON_1X = Pattern.compile("(^|[\\s;])gradio_client/[01]\\.");

  private LegacyClients() {}

  static Duration completionHold(String userAgent) {
    return userAgent != null && PYTHON_1X.matcher(userAgent).find() ? PYTHON_1X_COMPLETION_HOLD : Duration.ZERO;
  }
}
