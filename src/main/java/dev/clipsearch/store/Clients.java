package dev.clipsearch.store;

import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.client.RetryConfig;
import io.milvus.v2.service.database.request.CreateDatabaseReq;
import java.time.Duration;
import org.slf4j.LoggerFactory;

/** Builds SDK clients with the settings clip-search needs against Milvus and Milvus Lite. */
final class Clients {
  private Clients() {}

  /**
   * A client for {@code uri} whose every call ends within {@code deadline}.
   *
   * @param isLite the server is the embedded Milvus Lite (no auth, loopback, grpc-python)
   */
  static MilvusClientV2 connect(String uri, StoreOptions o, Duration deadline, boolean isLite) {
    return connect(uri, o.token(), o.database(), deadline, isLite);
  }

  /** @param database null for the server's default */
  private static MilvusClientV2 connect(String uri, String token, String database, Duration deadline,
      boolean isLite) {
    ConnectConfig.ConnectConfigBuilder b = ConnectConfig.builder().uri(uri)
        .connectTimeoutMs(Math.min(deadline.toMillis(), 10_000)).rpcDeadlineMs(deadline.toMillis());
    if (isLite) {
      // Lite workaround (docs/storage.md, "Lite quirks", 4): the SDK's 10 s keepalive pings, idle or not, trip
      // grpc-python's ping policy (GOAWAY too_many_pings). Lite is on loopback, so idle pings buy nothing.
      b.keepAliveTimeMs(300_000).keepAliveWithoutCalls(false);
    } else if (token != null) {
      b.token(token); // Lite accepts and ignores tokens, so it never gets one
    }
    if (database != null) {
      b.dbName(database); // the SDK checks at connect that it exists: see ensureDatabase
    }
    MilvusClientV2 c = new MilvusClientV2(b.build());
    // The SDK retries UNAVAILABLE up to 75 times with up to 3 s back-off: minutes against a dead server. Keep it to
    // a few quick tries within the deadline, so a dead server is reported in about a second.
    c.retryConfig(RetryConfig.builder().maxRetryTimes(3).initialBackOffMs(200).maxBackOffMs(1000)
        .maxRetryTimeoutMs(deadline.toMillis()).build());
    return c;
  }

  /**
   * Creates {@code o.database()} if the server lacks it, so the first run against a new database needs no manual
   * step (as for the collection). A no-op for the default database.
   */
  static void ensureDatabase(String uri, StoreOptions o, boolean isLite) {
    if (o.database() == null) {
      return;
    }
    MilvusClientV2 c = connect(uri, o.token(), null, o.rpcDeadline(), isLite);
    try {
      if (!c.listDatabases().getDatabaseNames().contains(o.database())) {
        try {
          c.createDatabase(CreateDatabaseReq.builder().databaseName(o.database()).build());
          LoggerFactory.getLogger(Clients.class).info("created Milvus database {}", o.database());
        } catch (RuntimeException e) {
          if (!c.listDatabases().getDatabaseNames().contains(o.database())) {
            throw e; // not a race with another instance creating it
          }
        }
      }
    } finally {
      closeQuietly(c);
    }
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
