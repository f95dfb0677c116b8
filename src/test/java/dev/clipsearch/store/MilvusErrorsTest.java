package dev.clipsearch.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.milvus.shaded.io.grpc.Status;
import io.milvus.shaded.io.grpc.StatusRuntimeException;
import io.milvus.v2.exception.ErrorCode;
import io.milvus.v2.exception.MilvusClientException;
import org.junit.jupiter.api.Test;

/** Each failure shape the SDK 2.6.22 produces (seen against Lite, see the ITs) gets a message a user can act on. */
class MilvusErrorsTest {
  private static final String AT = "Milvus at http://h:19530";

  private static String translate(RuntimeException e) {
    StoreException se = MilvusErrors.translate("search images", AT, e);
    assertSame(e, se.getCause());
    return se.getMessage();
  }

  @Test
  void aDeadlineSpentWaitingForAConnectionMeansUnreachable() {
    // the SDK wraps non-retryable gRPC errors as text only
    String sdkText = "Encounter rpc error that cannot be retried, reason: io.milvus.shaded.io.grpc."
        + "StatusRuntimeException: DEADLINE_EXCEEDED: deadline exceeded after 1.99s. [closed=[], "
        + "open=[[wait_for_ready, "
        + "buffered_nanos=1999487654, waiting_for_connection]]]";
    assertEquals(AT + " is unreachable (could not search images): no connection within the deadline",
        translate(new MilvusClientException(ErrorCode.RPC_ERROR, sdkText)));
    assertEquals(AT + " did not answer in time (could not search images); it may be overloaded, or building an index",
        translate(new MilvusClientException(ErrorCode.RPC_ERROR,
            "reason: io.milvus.shaded.io.grpc.StatusRuntimeException: DEADLINE_EXCEEDED: deadline exceeded after 9s")));
  }

  @Test
  void grpcStatusesInTheCauseChainAreRead() {
    StatusRuntimeException refused = Status.UNAVAILABLE.withDescription("io exception").asRuntimeException();
    assertEquals(AT + " is unreachable (could not search images): io exception",
        translate(new MilvusClientException(ErrorCode.RPC_ERROR, refused)));
    assertEquals(AT + " refused our credentials (could not search images); check the Milvus token",
        translate(Status.UNAUTHENTICATED.asRuntimeException()));
    assertEquals(AT + " does not support a call needed to search images",
        translate(Status.UNIMPLEMENTED.withDescription("Method not implemented!").asRuntimeException()));
  }

  @Test
  void liteErrorCodesTheSdkCannotDecodeBecomeARejection() {
    IllegalArgumentException enumCrash = new IllegalArgumentException(
        "Can't get the number of an unknown enum value.");
    String msg = translate(new MilvusClientException(ErrorCode.CLIENT_ERROR, enumCrash));
    assertEquals(AT + " rejected the request to search images (its reason was lost: the server used an error code "
        + "this Milvus client cannot decode; typical causes are a collection that is not loaded, or a malformed "
        + "filter)", msg);
  }

  @Test
  void serverErrorsKeepTheServersReason() {
    assertEquals(AT + " refused to search images: collection 'x' does not exist (code 100)",
        translate(new MilvusClientException(ErrorCode.SERVER_ERROR, "collection 'x' does not exist", 100, 4)));
    assertEquals(AT + " is unreachable (could not search images after retrying): Finish 3 retry times, stop retry",
        translate(new MilvusClientException(ErrorCode.TIMEOUT, "Finish 3 retry times, stop retry")));
  }

  @Test
  void storeExceptionsPassThroughUnchanged() {
    StoreException e = new StoreException("already clear");
    assertSame(e, MilvusErrors.translate("x", AT, e));
  }
}
