package dev.clipsearch.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.config.Settings;
import dev.clipsearch.testing.MilvusStandalone;
import dev.clipsearch.testing.StoreConfigs;
import dev.clipsearch.testing.StoreTarget;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.service.rbac.request.CreateUserReq;
import io.milvus.v2.service.rbac.request.GrantRoleReq;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link MilvusVectorStoreIT}'s tests against a Milvus standalone with authorisation on, plus what only a server does:
 * check credentials. The Lite-only tests are overridden without {@code @Test}, so they do not run here.
 */
class MilvusVectorStoreServerIT extends MilvusVectorStoreIT {
  @Override
  StoreTarget target() {
    return StoreTarget.STANDALONE;
  }

  @Override
  void aLiteErrorTheSdkCannotDecodeBecomesARejection() {
    // Lite only: Milvus reports the same refusal with an error code the SDK knows
  }

  @Override
  void theEmbeddedStoreWorksThroughItsOwnLiteServer() {
    // Lite only
  }

  private static StoreOptions withToken(String token) {
    return StoreConfigs.options(DIM, StoreConfigs.with(StoreTarget.STANDALONE.settings(null, "auth_test"), Map.of(
        Settings.MILVUS_TOKEN, token == null ? "" : token, Settings.MILVUS_DEADLINE_S, "5",
        Settings.MILVUS_LOAD_DEADLINE_S, "30")));
  }

  @Test
  void aWrongOrMissingTokenIsRefusedAtOpenWithAClearMessageThatNeverShowsIt() {
    for (String token : new String[] {"root:not-the-password", "no-such-user:Wr0ng-Secret", null}) {
      long t0 = System.nanoTime();
      StoreException e = assertThrows(StoreException.class,
          () -> MilvusVectorStore.open(withToken(token), new Backoff(5, Duration.ofSeconds(1), Duration.ofSeconds(2))));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertTrue(e.getMessage().startsWith("Milvus at " + MilvusStandalone.shared().uri() + " refused our "
          + "credentials (could not connect); check the Milvus token"), e.getMessage());
      assertTrue(ms < 5000, "refused credentials are not retried like an unreachable server: " + ms + " ms");
      if (token != null) {
        assertFalse(e.getMessage().contains(token.split(":")[1]), e.getMessage());
        assertFalse(withToken(token).toString().contains(token.split(":")[1]));
      }
    }
  }

  @Test
  void userAndPasswordOfAnotherUserWorkAsAToken() {
    MilvusClientV2 root = raw();
    try {
      root.createUser(CreateUserReq.builder().userName("clip_ingest").password("S3cret-pass").build());
      root.grantRole(GrantRoleReq.builder().userName("clip_ingest").roleName("admin").build());
    } finally {
      Clients.closeQuietly(root);
    }
    try (MilvusVectorStore s = MilvusVectorStore.open(withToken("clip_ingest:S3cret-pass"))) {
      s.ensureCollection();
      float[] v = LiteSupport.unit(new Random(30), DIM);
      s.insert(List.of(new ImageRecord("/by-user.jpg", v)));
      assertEquals("/by-user.jpg", s.search(v, 1).get(0).path());
      assertTrue(s.describe().startsWith("Milvus v2.3.5"), s.describe());
    }
  }
}
