package dev.clipsearch.store;

import io.milvus.shaded.io.grpc.Status;
import io.milvus.shaded.io.grpc.StatusRuntimeException;
import io.milvus.v2.exception.ErrorCode;
import io.milvus.v2.exception.MilvusClientException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns Milvus SDK failures into {@link StoreException}s whose message says what went wrong in terms a user can act
 * on: the server is down, too slow, or refused the request (and why, when the server said why).
 */
final class MilvusErrors {
  private static final Pattern SRE_TEXT = Pattern.compile("StatusRuntimeException: ([A-Z_]+):?(.*)", Pattern.DOTALL);

  private MilvusErrors() {}

  /**
   * @param action what we were doing, as a verb phrase: "search image_collection"
   * @param server where: "Milvus Lite at http://127.0.0.1:PORT"
   */
  static StoreException translate(String action, String server, RuntimeException e) {
    if (e instanceof StoreException se) {
      return se;
    }
    String[] grpc = grpcCode(e);
    if (grpc != null) {
      String code = grpc[0];
      String detail = grpc[1];
      return switch (code) {
        case "UNAVAILABLE" -> new StoreException(server + " is unreachable (could not " + action + "): " + detail, e);
        // The SDK's stubs wait for a connection (gRPC wait-for-ready), so a down server shows up as a deadline that
        // expired while "waiting_for_connection", not as UNAVAILABLE.
        case "DEADLINE_EXCEEDED" -> detail.contains("waiting_for_connection")
            ? new StoreException(server + " is unreachable (could not " + action + "): no connection within the "
                + "deadline", e)
            : new StoreException(server + " did not answer in time (could not " + action + "); it may be "
                + "overloaded, or building an index", e);
        case "UNIMPLEMENTED" -> new StoreException(server + " does not support a call needed to " + action, e);
        case "UNAUTHENTICATED", "PERMISSION_DENIED" -> new StoreException(server + " refused our credentials (could "
            + "not " + action + "); check the Milvus token", e);
        default -> new StoreException("could not " + action + " on " + server + ": " + code + " " + detail, e);
      };
    }
    if (e instanceof MilvusClientException mce) {
      if (isUndecodableServerError(mce)) {
        // Lite workaround (docs/storage.md, "Lite quirks", 2): Lite reports some errors with legacy error_code values
        // (6, 101, 200) that the SDK's enum lacks, so the SDK throws away the server's reason. Inputs are validated
        // before they are sent, so what is left is usually a request the server could not apply.
        return new StoreException(server + " rejected the request to " + action + " (its reason was lost: the "
            + "server used an error code this Milvus client cannot decode; typical causes are a collection that is "
            + "not loaded, or a malformed filter)", e);
      }
      if (mce.getErrorCode() == ErrorCode.TIMEOUT) {
        // The SDK's retry loop gave up (our RetryConfig keeps it short): the server is down or refusing connections.
        return new StoreException(server + " is unreachable (could not " + action + " after retrying): "
            + mce.getMessage(), e);
      }
      if (mce.getErrorCode() == ErrorCode.SERVER_ERROR) {
        return new StoreException(server + " refused to " + action + ": " + mce.getMessage()
            + " (code " + mce.getServerErrCode() + ")", e);
      }
      return new StoreException("could not " + action + " on " + server + ": " + mce.getMessage(), e);
    }
    return new StoreException("could not " + action + " on " + server + ": " + e, e);
  }

  /**
   * True when {@code e} says the server is not there (refused, unreachable, no connection within the deadline), as
   * opposed to a server that answered and refused: only the former is worth retrying at start.
   */
  static boolean isUnreachable(Throwable e) {
    String[] grpc = grpcCode(e);
    if (grpc != null) {
      return grpc[0].equals("UNAVAILABLE") || grpc[0].equals("DEADLINE_EXCEEDED");
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof MilvusClientException mce && mce.getErrorCode() == ErrorCode.TIMEOUT) {
        return true;
      }
      if (t instanceof java.net.ConnectException || t.getCause() == t) {
        return t instanceof java.net.ConnectException;
      }
    }
    return false;
  }

  /** The "unknown enum value" IllegalArgumentException the SDK raises while decoding a Lite error status. */
  static boolean isUndecodableServerError(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      // the exception itself, or (when the SDK wrapped it as text) its message
      if (String.valueOf(t.getMessage()).contains("unknown enum value")) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  /**
   * The gRPC status code and detail behind {@code e}, or null if it is not a transport error. In 2.6.22 the SDK's
   * retry loop wraps a non-retryable {@code StatusRuntimeException} only as text ("Encounter rpc error that cannot
   * be retried, reason: ...StatusRuntimeException: CODE: detail"), without the cause, so the text is parsed too.
   */
  static String[] grpcCode(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StatusRuntimeException sre) {
        return new String[] {sre.getStatus().getCode().name(), describe(sre.getStatus())};
      }
      if (t.getCause() == t) {
        break;
      }
    }
    Matcher m = e instanceof MilvusClientException ? SRE_TEXT.matcher(String.valueOf(e.getMessage())) : null;
    return m != null && m.find() ? new String[] {m.group(1), m.group(2).strip()} : null;
  }

  private static String describe(Status s) {
    return s.getDescription() != null ? s.getDescription()
        : s.getCause() != null ? s.getCause().toString() : s.getCode().toString();
  }
}
