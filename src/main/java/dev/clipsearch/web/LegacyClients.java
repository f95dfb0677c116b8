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
   * race behind its queue loop's pickup delay; our fast path exposes it, e.g. to concurrent {@code submit()}s. Holding
   * the completion this long after the join lets the client's thread finish registering even under GIL contention.
   */
  static final Duration PYTHON_1X_COMPLETION_HOLD = Duration.ofMillis(50);
  private static final Pattern PYTHON_1X = Pattern.compile("(^|[\\s;])gradio_client/[01]\\.");

  private LegacyClients() {}

  static Duration completionHold(String userAgent) {
    return userAgent != null && PYTHON_1X.matcher(userAgent).find() ? PYTHON_1X_COMPLETION_HOLD : Duration.ZERO;
  }
}
