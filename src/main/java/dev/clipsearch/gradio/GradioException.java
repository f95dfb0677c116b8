package dev.clipsearch.gradio;

/**
 * A request the protocol layer refuses. It names a {@link Kind}, never an HTTP status: web.ErrorMapping is the one
 * place that turns kinds into statuses, so the protocol code stays framework-free.
 */
public final class GradioException extends RuntimeException {
  /** Why a request was refused; ErrorMapping gives each its status. */
  public enum Kind {
    /** Malformed request or missing session_hash. */
    BAD_REQUEST,
    /** Body fails the schema (missing {@code data}); the detail is a pydantic-style list, which Python turns into ValidationError. */
    VALIDATION,
    /** Unknown api_name / fn_index / event. */
    NOT_FOUND,
    /** No capacity: Python raises QueueError on 503, JS reports QUEUE_FULL_MSG. */
    QUEUE_FULL,
    /** A file= path outside the uploads dir and the servable store images. */
    FILE_NOT_ALLOWED,
    /** An upload over the size limit. */
    TOO_LARGE,
    /** One client over its share (connections, streams, queued events): the others are still served. */
    TOO_MANY,
    /** A request that did not arrive whole in time. */
    TIMEOUT
  }

  private final Kind kind;
  private final transient Object detail;

  /** @param detail the JSON value of {@code {"detail": ...}}: a string, or a list for VALIDATION */
  public GradioException(Kind kind, Object detail) {
    super(detail.toString());
    this.kind = kind;
    this.detail = detail;
  }

  public Kind kind() {
    return kind;
  }

  public Object detail() {
    return detail;
  }
}
