package dev.clipsearch.web;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * What the web layer refused or cut off, and why: {@code clipsearch_shed_total{reason=...}} in /metrics. A full model
 * queue is counted by its batcher ({@code clipsearch_batch_rejected_total}); everything decided here is counted here.
 */
final class Shedding {
  /** Each refusal the web layer makes on purpose; the label is the lower-case name. */
  enum Reason {
    /** a connection over its address's cap: 429 */
    CONNECTIONS_PER_CLIENT,
    /** request headers that did not arrive in time: connection closed */
    HEADER_TIMEOUT,
    /** a request body that did not arrive in time: 408 */
    BODY_TIMEOUT,
    /** a body over the limit, refused on its Content-Length or while it arrived: 413 */
    BODY_TOO_LARGE,
    /** an SSE or heartbeat stream over its address's cap: 429 */
    STREAMS_PER_CLIENT,
    /** an SSE or heartbeat stream over its session's cap: 429 */
    STREAMS_PER_SESSION,
    /** every streaming thread busy: 503 */
    STREAMS_FULL,
    /** an event over its address's share of the queue: 429 */
    QUEUE_PER_CLIENT,
    /** the event queue full: 503 */
    QUEUE_FULL
  }

  private final Map<Reason, Counter> counters = new EnumMap<>(Reason.class);

  Shedding(MeterRegistry registry) {
    for (Reason r : Reason.values()) {
      counters.put(r, Counter.builder("clipsearch.shed")
          .description("Requests and connections refused or cut off on purpose, by reason.")
          .tag("reason", r.name().toLowerCase(Locale.ROOT)).register(registry));
    }
  }

  void count(Reason r) {
    counters.get(r).increment();
  }

  /** Runs a queue submission, counting the refusals of the event queue (full: 503; a client over its share: 429). */
  <T> T counted(java.util.function.Supplier<T> submit) {
    try {
      return submit.get();
    } catch (dev.clipsearch.gradio.GradioException e) {
      if (e.kind() == dev.clipsearch.gradio.GradioException.Kind.QUEUE_FULL) {
        count(Reason.QUEUE_FULL);
      } else if (e.kind() == dev.clipsearch.gradio.GradioException.Kind.TOO_MANY) {
        count(Reason.QUEUE_PER_CLIENT);
      }
      throw e;
    }
  }

  /** For tests. */
  double count(String reason) {
    return counters.get(Reason.valueOf(reason.toUpperCase(Locale.ROOT))).count();
  }
}
