package dev.clipsearch.web;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** A WebServer on a free port over the fakes, plus a small HTTP client for functional tests. */
final class TestApp implements AutoCloseable {
  final FakeSearchService search;
  final FakeIngestService ingest = new FakeIngestService();
  final Path uploads;
  final WebServer server;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  TestApp(Path tmp) throws IOException {
    this(tmp, Limits.defaults());
  }

  TestApp(Path tmp, WebLimits limits) throws IOException {
    this(tmp, limits, null);
  }

  /** @param ops readiness, token and metrics; null for the server's defaults */
  TestApp(Path tmp, WebLimits limits, java.util.function.Function<FakeSearchService, WebOps> ops) throws IOException {
    this(tmp, limits, ops, Services::new);
  }

  /** The services the server runs on. */
  record Services(dev.clipsearch.search.SearchService search, dev.clipsearch.ingest.IngestService ingest) {}

  /** @param wrap the services to serve, built around the fakes (e.g. with the real image decoder in front) */
  TestApp(Path tmp, WebLimits limits, java.util.function.Function<FakeSearchService, WebOps> ops,
      java.util.function.BiFunction<FakeSearchService, FakeIngestService, Services> wrap) throws IOException {
    search = new FakeSearchService(tmp.resolve("images"));
    uploads = tmp.resolve("uploads");
    Services s = wrap.apply(search, ingest);
    server = new WebServer(s.search(), s.ingest(), uploads, limits, Limits.minimalPage(),
        ops == null ? Limits.openOps(s.search()) : ops.apply(search)).start(0, "127.0.0.1");
  }

  /** A request to {@code path} with extra headers (name, value, name, value...), GET when {@code json} is null. */
  HttpResponse<String> send(String path, String json, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(20));
    if (headers.length > 0) {
      b.headers(headers);
    }
    if (json != null) {
      b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  String base() {
    return "http://127.0.0.1:" + server.port();
  }

  /** GET {@code path}, with extra headers (name, value, ...) if any. */
  HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(20));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(20))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** POST {p}/upload with one multipart part per file, all named "files" (what both clients send). */
  HttpResponse<String> upload(String path, String... namesAndContents) throws IOException, InterruptedException {
    return uploadWith(new String[0], path, namesAndContents);
  }

  /** As {@link #upload}, with extra headers (name, value, ...). */
  HttpResponse<String> uploadWith(String[] headers, String path, String... namesAndContents)
      throws IOException, InterruptedException {
    String boundary = "----clipsearch" + System.nanoTime();
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < namesAndContents.length; i += 2) {
      body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\"" + namesAndContents[i]
          + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      body.writeBytes(namesAndContents[i + 1].getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      body.writeBytes("\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    body.writeBytes(("--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(20))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    server.stop();
  }
}
