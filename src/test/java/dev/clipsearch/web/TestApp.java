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
    this(tmp, WebLimits.defaults());
  }

  TestApp(Path tmp, WebLimits limits) throws IOException {
    search = new FakeSearchService(tmp.resolve("images"));
    uploads = tmp.resolve("uploads");
    server = new WebServer(search, ingest, uploads, limits, Optional.empty()).start(0, "127.0.0.1");
  }

  String base() {
    return "http://127.0.0.1:" + server.port();
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(20))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** POST {p}/upload with one multipart part per file, all named "files" (what both clients send). */
  HttpResponse<String> upload(String path, String... namesAndContents) throws IOException, InterruptedException {
    String boundary = "----clipsearch" + System.nanoTime();
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < namesAndContents.length; i += 2) {
      body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\"" + namesAndContents[i]
          + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      body.writeBytes(namesAndContents[i + 1].getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      body.writeBytes("\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    body.writeBytes(("--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return http.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(20))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    server.stop();
  }
}
