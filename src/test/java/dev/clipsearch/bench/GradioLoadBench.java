package dev.clipsearch.bench;

import dev.clipsearch.web.LoadDriver;
import dev.clipsearch.web.WebServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The long load run behind the figures in issue 6 (excluded from the test phases by the pom's bench/ exclusion):
 * CLIENTS gradio_client-like clients, each with heartbeat + queue stream, searching for SECONDS against the server over
 * the fakes (so the figures are the protocol layer's, not CLIP's). Prints one summary line.
 *
 * <pre>mvn -q test-compile && java -cp "target/test-classes:target/classes:$(mvn -q dependency:build-classpath -Dmdep.outputFile=/dev/stdout)" \
 *   dev.clipsearch.bench.GradioLoadBench [CLIENTS=64] [SECONDS=20]</pre>
 */
public final class GradioLoadBench {
  private GradioLoadBench() {}

  public static void main(String[] args) throws Exception {
    int clients = args.length > 0 ? Integer.parseInt(args[0]) : 64;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    Path tmp = Files.createTempDirectory("gradio-load");
    // Gradio's own 15 s heartbeat interval, as in production.
    WebServer server = LoadDriver.fakeServer(tmp, Duration.ofSeconds(15));
    try {
      LoadDriver.Result r = LoadDriver.run("http://127.0.0.1:" + server.port(), clients, Duration.ofSeconds(seconds));
      System.out.println(r.summary());
      if (!r.errors().isEmpty()) System.out.println("first errors: " + r.errors());
    } finally {
      server.stop();
    }
  }
}
