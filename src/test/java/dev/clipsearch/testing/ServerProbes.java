package dev.clipsearch.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** What tests ask a running server: its readiness, and whether its background ingest (serve --images) is over. */
public final class ServerProbes {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private ServerProbes() {}

  /** GET {base}readyz as JSON ({@code base} ends with a slash); its status code is under "http_status". */
  public static JsonNode readyz(String base) throws IOException, InterruptedException {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "readyz"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    ObjectNode body = (ObjectNode) JSON.readTree(r.body());
    body.put("http_status", r.statusCode());
    return body;
  }

  /**
   * Waits until the server's background ingest is done (the server serves from the start; tests that count on the
   * whole folder being stored wait for this). Fails when the ingest stopped or failed, or took longer than {@code max}.
   */
  public static JsonNode awaitIngestDone(String base, Duration max) throws IOException, InterruptedException {
    long end = System.nanoTime() + max.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < end) {
      last = readyz(base).path("ingest");
      String state = last.path("state").asText("");
      if (state.equals("done")) {
        return last;
      }
      if (state.equals("failed") || state.equals("stopped")) {
        throw new AssertionError("the background ingest ended as " + state + ": " + last);
      }
      Thread.sleep(250);
    }
    throw new AssertionError("the background ingest was not done within " + max + ": " + last);
  }
}
