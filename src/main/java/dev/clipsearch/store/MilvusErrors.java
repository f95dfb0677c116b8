package dev.clipsearch.store;

import io.milvus.shaded.io.grpc.Status;
import io.milvus.shaded.io.grpc.StatusRuntimeException;
import io.milvus.v2.exception.ErrorCode;
import io.milvus.v2.exception.MilvusClientException;

/**
 * Turns Milvus SDK failures into {@link StoreException}s whose message says what went wrong in terms a user can act
 * on: the server is down, too slow, or refused the request (and why, when the server said why).
 */
final class MilvusErrors {
  private MilvusErrors() {}

  /**
   * @param action what we were doing, as a verb phrase: "search image_collection"
   * @param server where: "Milvus Lite at http://127.0.0.1:PORT"
   */
  static StoreException translate(String action, String server, RuntimeException e) {
    if (e instanceof StoreException se) {
      return se;
    }
    Status status = grpcStatus(e);
    if (status != null) {
      return switch (status.getCode()) {
        case UNAVAILABLE -> new StoreException(server + " is unreachable (could not " + action + "): "
            + describe(status), e);
        case DEADLINE_EXCEEDED -> new StoreException(server + " did not answer in time (could not " + action
            + "); it may be overloaded, or building an index", e);
        case UNIMPLEMENTED -> new StoreException(server + " does not support a call needed to " + action, e);
        case UNAUTHENTICATED, PERMISSION_DENIED -> new StoreException(server + " refused our credentials (could not "
            + action + "); check the Milvus token", e);
        default -> new StoreException("could not " + action + " on " + server + ": " + describe(status), e);
      };
    }
    if (e instanceof MilvusClientException mce) {
      if (isUndecodableServerError(mce)) {
        // Lite workaround (docs/milvus.md §3.4 #2): Lite reports some errors with legacy error_code values (6, 101,
        // 200) that the SDK's enum lacks, so the SDK throws away the server's reason. Inputs are validated before
        // they are sent, so what is left is usually a request the server could not apply.
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

  /** The "unknown enum value" IllegalArgumentException the SDK raises while decoding a Lite error status. */
  static boolean isUndecodableServerError(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IllegalArgumentException && String.valueOf(t.getMessage()).contains("unknown enum value")) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  private static Status grpcStatus(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StatusRuntimeException sre) {
        return sre.getStatus();
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  private static String describe(Status s) {
    return s.getDescription() != null ? s.getDescription()
        : s.getCause() != null ? s.getCause().toString() : s.getCode().toString();
  }
}
