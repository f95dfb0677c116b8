package dev.clipsearch.store;

import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.client.RetryConfig;
import java.time.Duration;

/** Builds SDK clients with the settings clip-search needs against Milvus and Milvus Lite. */
final class Clients {
  private Clients() {}

  /**
   * A client for {@code uri} whose every call ends within {@code deadline}.
   *
   * @param isLite the server is the embedded Milvus Lite (no auth, loopback, grpc-python)
   */
  static MilvusClientV2 connect(String uri, StoreOptions o, Duration deadline, boolean isLite) {
    ConnectConfig.ConnectConfigBuilder b = ConnectConfig.builder().uri(uri)
        .connectTimeoutMs(Math.min(deadline.toMillis(), 10_000)).rpcDeadlineMs(deadline.toMillis());
    if (isLite) {
      // Lite workaround (docs/storage.md, "Lite quirks", 4): the SDK's 10 s keepalive pings, idle or not, trip
      // grpc-python's ping policy (GOAWAY too_many_pings). Lite is on loopback, so idle pings buy nothing.
      b.keepAliveTimeMs(300_000).keepAliveWithoutCalls(false);
    } else if (o.token() != null) {
      b.token(o.token()); // Lite accepts and ignores tokens, so it never gets one
    }
    MilvusClientV2 c = new MilvusClientV2(b.build());
    // The SDK retries UNAVAILABLE up to 75 times with up to 3 s back-off: minutes against a dead server. Keep it to
    // a few quick tries within the deadline, so a dead server is reported in about a second.
    c.retryConfig(RetryConfig.builder().maxRetryTimes(3).initialBackOffMs(200).maxBackOffMs(1000)
        .maxRetryTimeoutMs(deadline.toMillis()).build());
    return c;
  }

  static void closeQuietly(MilvusClientV2 c) {
    try {
      c.close(3); // seconds to drain; the no-arg close() waits up to a minute
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // closing the client of a dead server: nothing left to release that matters
    }
  }
}
