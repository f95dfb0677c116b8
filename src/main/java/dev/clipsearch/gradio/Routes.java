package dev.clipsearch.gradio;

import java.util.List;

/**
 * Route prefixes. Every API route is served at the root and under the prefix; only /config is root-only
 * (docs/gradio-protocol.md, "Versions and route prefixes").
 */
public final class Routes {
  /** What 5.x/6.x report as {@code api_prefix}; gradio_client ≥ 1.4 and @gradio/client ≥ 1.6 prepend it. */
  public static final String API_PREFIX = "/gradio_api";

  /**
   * Old clients (gradio_client 1.3.0, @gradio/client 1.5.2) ignore api_prefix and call root paths; serving both makes
   * them work (both are run by the integration tests).
   */
  public static final List<String> PREFIXES = List.of("", API_PREFIX);

  private Routes() {}
}
