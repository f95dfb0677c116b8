package dev.clipsearch.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's protocol and failure reporting, with shell scripts standing in for Python (no Milvus Lite needed).
 * A stand-in gets the same arguments as Python would: the launcher script's path, then the data directory.
 */
class LiteLauncherTest {
  @TempDir Path tmp;

  private Path fakePython(String body) throws IOException {
    Path f = Files.createTempFile(tmp, "python", ".sh");
    Files.writeString(f, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwx------"));
    return f;
  }

  private StoreException startFails(Path python, Duration timeout) {
    return assertThrows(StoreException.class,
        () -> LiteLauncher.start(tmp.resolve("data"), python.toString(), timeout));
  }

  @Test
  void defaultPythonPrefersTheProjectVenvThenTheEnvironmentThenPython3() throws IOException {
    assertEquals("python3", LiteLauncher.defaultPython(tmp, Map.of()));
    Map<String, String> env = Map.of("MILVUS_LITE_PYTHON", "/opt/py/bin/python");
    assertEquals("/opt/py/bin/python", LiteLauncher.defaultPython(tmp, env));
    assertEquals("python3", LiteLauncher.defaultPython(tmp, Map.of("MILVUS_LITE_PYTHON", " ")));
    Path venv = tmp.resolve(".cache/venv/bin/python");
    Files.createDirectories(venv.getParent());
    Files.copy(fakePython("exit 0"), venv);
    assertEquals(venv.toString(), LiteLauncher.defaultPython(tmp, env));
  }

  @Test
  void aMissingPythonPointsAtTheSetupScript() {
    StoreException e = startFails(tmp.resolve("no/such/python"), Duration.ofSeconds(5));
    assertTrue(e.getMessage().startsWith("cannot run Python '" + tmp.resolve("no/such/python")), e.getMessage());
    assertTrue(e.getMessage().contains("src/scripts/setup.sh"), e.getMessage());
  }

  @Test
  void aPythonWithoutMilvusLiteGetsThePipHint() throws IOException {
    // the real launcher script under a Python that cannot see site-packages (-S) or the environment (-I)
    StoreException e = startFails(fakePython("exec python3 -I -S \"$@\""), Duration.ofSeconds(20));
    assertTrue(e.getMessage().startsWith("Milvus Lite is not installed for Python"), e.getMessage());
    assertTrue(e.getMessage().contains("No module named 'milvus_lite'"), e.getMessage());
    assertTrue(e.getMessage().contains("pip install \"pymilvus[milvus-lite]\""), e.getMessage());
    assertTrue(e.getMessage().contains("src/scripts/setup.sh"), e.getMessage());
  }

  @Test
  void aSilentChildTimesOutAndIsKilled() throws Exception {
    Path pidFile = tmp.resolve("pid");
    long t0 = System.nanoTime();
    // 2 s: long enough for the shell to write its pid on a loaded machine, short against the child's 60 s sleep
    StoreException e = startFails(fakePython("echo $$ > " + pidFile + "; exec sleep 60"), Duration.ofSeconds(2));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(e.getMessage().startsWith("Milvus Lite did not start within 2 s"), e.getMessage());
    assertTrue(ms < 6000, "took " + ms + " ms");
    long pid = Long.parseLong(Files.readString(pidFile).strip());
    assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the child was killed");
  }

  @Test
  void aChildThatDiesEarlyIsReportedWithItsStderr() throws IOException {
    StoreException e = startFails(fakePython("echo 'Traceback: something broke' >&2; exit 7"), Duration.ofSeconds(5));
    assertTrue(e.getMessage().contains("exited with code 7 before it was ready"), e.getMessage());
    assertTrue(e.getMessage().contains("something broke"), e.getMessage());
  }

  @Test
  void aNonJsonAnswerIsReported() throws IOException {
    StoreException e = startFails(fakePython("echo 'Hello from Python'; exec sleep 60"), Duration.ofSeconds(5));
    assertTrue(e.getMessage().contains("answered 'Hello from Python' instead of its JSON handshake"), e.getMessage());
  }

  @Test
  void launcherErrorsAreReportedByKind() throws IOException {
    StoreException locked = startFails(fakePython(
        "echo '{\"error\": \"another process holds the lock\", \"kind\": \"locked\"}'; exit 4"), Duration.ofSeconds(5));
    assertTrue(locked.getMessage().startsWith("another clip-search is using " + tmp.resolve("data")),
        locked.getMessage());
    StoreException failed = startFails(fakePython(
        "echo '{\"error\": \"PermissionError: denied\", \"kind\": \"failed\"}'; exit 5"), Duration.ofSeconds(5));
    assertEquals("Milvus Lite could not start on " + tmp.resolve("data") + ": PermissionError: denied",
        failed.getMessage());
  }

  @Test
  void aFileWhereTheDataDirectoryShouldBeIsRefused() throws IOException {
    Path file = Files.writeString(tmp.resolve("old.db"), "SQLite format 3");
    StoreException e = assertThrows(StoreException.class,
        () -> LiteLauncher.start(file, "python3", Duration.ofSeconds(5)));
    assertTrue(e.getMessage().contains("is a file"), e.getMessage());
  }

  @Test
  void closeEndsTheChildByClosingItsStdin() throws IOException {
    Path python = fakePython("echo '{\"uri\": \"http://127.0.0.1:9\", \"version\": \"fake\"}'; exec cat > /dev/null");
    LiteLauncher lite = LiteLauncher.start(tmp.resolve("data"), python.toString(), Duration.ofSeconds(5));
    assertEquals("http://127.0.0.1:9", lite.uri());
    assertEquals("fake", lite.version());
    assertTrue(lite.isAlive());
    long t0 = System.nanoTime();
    lite.close();
    assertTrue((System.nanoTime() - t0) / 1_000_000 < 3000, "stdin EOF ended it, no SIGTERM grace period needed");
    assertFalse(lite.isAlive());
    assertTrue(lite.exitReport().contains("was stopped"), lite.exitReport());
  }
}
