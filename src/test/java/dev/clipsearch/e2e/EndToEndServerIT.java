package dev.clipsearch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.testing.MilvusStandalone;
import dev.clipsearch.testing.SharedData;
import dev.clipsearch.testing.StoreTarget;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link EndToEndIT}'s steps with the vectors in a collection on the run's Milvus standalone (authorisation on), plus
 * the server's own concerns through the shipped jar: credentials and {@code --milvus-db}.
 */
class EndToEndServerIT extends EndToEndIT {
  @TempDir Path scratch;

  @Override
  StoreTarget target() {
    return StoreTarget.STANDALONE;
  }

  private JarProcess.Result search(String token, String... more) throws Exception {
    List<String> args = new ArrayList<>(List.of("search", "a photo of a dog", "--model",
        SharedData.tinyClipModel().toString(), "--data-dir", scratch.toString(), "--milvus",
        MilvusStandalone.shared().uri(), "--collection", "e2e"));
    if (token != null) {
      args.addAll(List.of("--milvus-token", token));
    }
    args.addAll(List.of(more));
    return JarProcess.run(scratch, 300, args.toArray(String[]::new));
  }

  @Test
  @Order(8)
  void aWrongOrMissingTokenFailsAtStartWithOneClearLineAndTheTokenNeverShows() throws Exception {
    for (String token : new String[] {"root:Wr0ng-Passw0rd", null}) {
      long t0 = System.nanoTime();
      JarProcess.Result r = search(token);
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertEquals(1, r.exitCode(), r.stderr());
      assertTrue(r.stderr().contains("error: Milvus at " + MilvusStandalone.shared().uri() + " refused our "
          + "credentials (could not connect); check the Milvus token"), r.stderr());
      assertFalse(r.stderr().contains("\tat "), "no stack trace: " + r.stderr());
      assertFalse(r.stderr().contains("Wr0ng-Passw0rd") || r.stdout().contains("Wr0ng-Passw0rd"), r.stderr());
      System.out.printf("[measure] token %s refused, clip-search exited after %d ms%n", token == null ? "missing"
          : "wrong", ms);
    }
  }

  @Test
  @Order(9)
  void theTokenMayComeFromTheEnvironmentAndTheDatabaseIsCreatedWhenMissing() throws Exception {
    List<String> args = new ArrayList<>(List.of("search", "a photo of a dog", "--model",
        SharedData.tinyClipModel().toString(), "--data-dir", scratch.toString(), "--milvus",
        MilvusStandalone.shared().uri(), "--collection", "e2e", "--milvus-db", "clip_e2e_db", "-v"));
    ProcessBuilder pb = JarProcess.builder(scratch, args.toArray(String[]::new));
    pb.environment().put("CLIPSRV_MILVUS_TOKEN", MilvusStandalone.ROOT_TOKEN);
    Process p = pb.redirectError(scratch.resolve("err.txt").toFile()).redirectOutput(scratch.resolve("out.txt")
        .toFile()).start();
    assertTrue(p.waitFor(300, TimeUnit.SECONDS));
    String err = java.nio.file.Files.readString(scratch.resolve("err.txt"));
    assertEquals(0, p.exitValue(), err);
    assertEquals("[]", java.nio.file.Files.readString(scratch.resolve("out.txt")).strip(),
        "a new, empty e2e collection in the new database: the default database's e2e is not seen");
    assertTrue(err.contains("database clip_e2e_db"), err);
    assertFalse(err.contains(MilvusStandalone.ROOT_TOKEN), "the token is never logged: " + err);
  }
}
