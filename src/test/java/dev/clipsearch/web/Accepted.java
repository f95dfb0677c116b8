package dev.clipsearch.web;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The shape differences between our answers and the captured transcripts that are intended, each with its reason.
 * Anything not listed here fails {@link GradioTranscriptReplayIT}. Our server answers every client with one shape:
 * Gradio 5.49.1's, plus both {@code show_api} and {@code api_visibility} (docs/gradio-protocol.md, "Discovery"), so
 * most entries are "that version's shape differs from 5.x"; all five official clients were run against exactly this
 * shape (the compat ITs).
 */
final class Accepted {
  private record Rule(Set<String> versions, String what, String diff, String why) {}

  private static final Set<String> V4 = Set.of("4.44.1");
  private static final Set<String> V6 = Set.of("6.25.0");
  private static final Set<String> V4_6 = Set.of("4.44.1", "6.25.0");
  private static final Set<String> V4_5 = Set.of("4.44.1", "5.49.1");
  private static final Set<String> ALL = Set.of("4.44.1", "5.49.1", "6.25.0");
  private static final String COMPLETED = ":process_completed ";

  private static final List<Rule> RULES = List.of(
      // --- /config ---
      new Rule(ALL, "config", "$.max_file_size: null vs number", "we report our upload limit; gradio_client checks uploads against it"),
      new Rule(V4_6, "config", "$.css: null vs string", "UI-only styling field; 5.49.1 sends strings too"),
      new Rule(V4_6, "config", "$.js: null vs string", "UI-only field, as css"),
      new Rule(V4_6, "config", "$.head: null vs string", "UI-only field, as css"),
      new Rule(V4, "config", "$.api_prefix: extra", "the 5.x prefix; 4.x-era clients ignore it and use our root aliases"),
      new Rule(V4, "config", "$.vibe_mode: extra", "5.x UI field"),
      new Rule(V4, "config", "$.pwa: extra", "5.x UI field"),
      new Rule(V4, "config", "$.pages: extra", "5.x UI field (lite 5.x needs it)"),
      new Rule(V4, "config", "$.page: extra", "5.x UI field (lite 5.x crashes without it)"),
      new Rule(V4, "config", "$.mcp_server: extra", "5.x UI field"),
      new Rule(V4, "config", "$.i18n_translations: extra", "5.x UI field"),
      new Rule(V6, "config", "$.footer_links: missing", "6.x UI field; 5.x has show_api instead"),
      new Rule(V6, "config", "$.run_history: missing", "6.x field; JS 2.7 treats it as absent, as against any 5.x server"),
      new Rule(V6, "config", "$.show_api: extra", "5.x field (6.x replaced it with footer_links)"),
      // --- /info, per endpoint ---
      new Rule(ALL, "info/*", "$.api_visibility: extra", "we emit both visibility fields; every client accepts that"),
      new Rule(V4, "info/*", "$.description: extra", "5.x endpoint field"),
      new Rule(V6, "info/*", "$.code_snippets: missing", "6.x UI-only; the Python/JS clients never read it"),
      new Rule(V6, "info/*", "$.show_api: extra", "we emit both visibility fields"),
      // --- queue stream and outputs ---
      new Rule(ALL, "queue_data*", ":estimation $.rank_eta: number vs null", "null until we have measured a duration (Gradio sends null then too)"),
      new Rule(ALL, "queue_data*", ":process_starts $.eta: number vs null", "as rank_eta"),
      new Rule(V4, "queue_data*", COMPLETED + "$.title: extra", "5.x message field (null on success, \"Error\" on failure)"),
      new Rule(V4, "queue_data", COMPLETED + "$.output.data[0][0].image.mime_type: null vs string", "4.44.1 left mime_type empty; 5.x/6.x fill it"),
      new Rule(V4, "queue_data", COMPLETED + "$.output.data[0][1].image.mime_type: null vs string", "as above"),
      new Rule(V4, "call_get", "complete: $[0][0].image.mime_type: null vs string", "as above"),
      new Rule(V4, "run_post", "$.data[0][0].image.mime_type: null vs string", "as above"),
      new Rule(V6, "queue_data", COMPLETED + "$.output.used_cache: missing", "6.x-only cache fields; no client reads them"),
      new Rule(V6, "queue_data*", COMPLETED + "$.used_cache: missing", "as above"),
      new Rule(V6, "queue_data*", COMPLETED + "$.cache_duration: missing", "as above"),
      new Rule(V6, "queue_data*", COMPLETED + "$.avg_time: missing", "as above"),
      new Rule(V6, "run_post", "$.used_cache: missing", "as above"),
      new Rule(V6, "queue_data_error", COMPLETED + "$.output.visible: missing", "5.x error dict {error}; clients read only error"),
      new Rule(V6, "call_get_error", "error: $.visible: missing", "as above"),
      new Rule(V6, "run_post_error", "$.visible: missing", "as above"),
      new Rule(V4_5, "call_get_error", "error: $: null vs object",
          "4.44.1/5.49.1 send data: null (a Gradio bug that tells a curl user nothing); we send the 6.x error dict"),
      // --- files ---
      new Rule(ALL, "file headers", "header accept-ranges: missing", "we do not serve byte ranges, so must not advertise them"),
      new Rule(ALL, "file headers", "header etag: missing", "no client revalidates; images are immutable once stored"));

  private Accepted() {}

  /** The accepted differences for one request of one version; a rule's {@code what} ending in {@code *} is a prefix ("info/*" covers every endpoint). */
  static Set<String> of(String version, String what) {
    return RULES.stream()
        .filter(r -> r.versions().contains(version)
            && (r.what().endsWith("*") ? what.startsWith(r.what().substring(0, r.what().length() - 1)) : what.equals(r.what())))
        .map(Rule::diff)
        .collect(Collectors.toSet());
  }
}
