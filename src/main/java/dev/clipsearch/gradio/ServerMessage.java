package dev.clipsearch.gradio;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The closed set of messages the server pushes on {@code /queue/data} (sse_v3). Field names and order follow the
 * 5.49.1 transcripts. Every message carries {@code msg} and {@code event_id} (possibly null): Python indexes
 * {@code resp["event_id"]} unconditionally and raises KeyError without it.
 */
public sealed interface ServerMessage {
  @JsonProperty("msg")
  String msg();

  @JsonProperty("event_id")
  String eventId();

  @JsonPropertyOrder({"msg", "event_id", "rank", "queue_size", "rank_eta"})
  record Estimation(
      @JsonProperty("event_id") String eventId,
      @JsonProperty("rank") int rank,
      @JsonProperty("queue_size") int queueSize,
      @JsonProperty("rank_eta") Double rankEta)
      implements ServerMessage {
    @Override
    public String msg() {
      return "estimation";
    }
  }

  @JsonPropertyOrder({"msg", "event_id", "eta"})
  record ProcessStarts(@JsonProperty("event_id") String eventId, @JsonProperty("eta") Double eta)
      implements ServerMessage {
    @Override
    public String msg() {
      return "process_starts";
    }
  }

  /**
   * The final message of an event. A failure is {@code success:false} with {@code output:{"error": message}} and
   * {@code title:"Error"} (5.x shape); never {@code unexpected_error}, which Python cannot route to a job (its event_id
   * is null).
   */
  @JsonPropertyOrder({"msg", "event_id", "output", "success", "title"})
  record ProcessCompleted(
      @JsonProperty("event_id") String eventId,
      @JsonProperty("output") EventOutput output,
      @JsonProperty("success") boolean success,
      @JsonProperty("title") String title)
      implements ServerMessage {
    @Override
    public String msg() {
      return "process_completed";
    }
  }

  /** Sent while the stream is idle so proxies and clients see a live connection; both clients skip it. */
  @JsonPropertyOrder({"msg", "event_id"})
  record Heartbeat() implements ServerMessage {
    @Override
    public String msg() {
      return "heartbeat";
    }

    @Override
    public String eventId() {
      return null;
    }
  }

  /** sse_v3: the session has nothing pending; the client stops reading and opens a new stream for its next job. */
  @JsonPropertyOrder({"msg", "event_id"})
  record CloseStream() implements ServerMessage {
    @Override
    public String msg() {
      return "close_stream";
    }

    @Override
    public String eventId() {
      return null;
    }
  }

  /** Only for a stream opened on an unknown session (as real Gradio answers it); the server closes right after. */
  @JsonPropertyOrder({"msg", "event_id", "message", "session_not_found", "success"})
  @JsonInclude(JsonInclude.Include.ALWAYS)
  record UnexpectedError(
      @JsonProperty("message") String message, @JsonProperty("session_not_found") boolean sessionNotFound)
      implements ServerMessage {
    @Override
    public String msg() {
      return "unexpected_error";
    }

    @Override
    public String eventId() {
      return null;
    }

    @JsonProperty("success")
    public boolean success() {
      return false;
    }
  }
}
