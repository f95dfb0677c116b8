package dev.clipsearch.web;

import dev.clipsearch.App;
import dev.clipsearch.config.ConfigLoader;
import dev.clipsearch.gradio.QueueLimits;
import dev.clipsearch.search.SearchService;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/** The server's own web bounds and operations (what App builds from the default settings), with one part changed. */
public final class Limits {
  private Limits() {}

  /** {@code App.webLimits} of the default settings: what {@code serve} runs with. */
  public static WebLimits defaults() {
    return App.webLimits(ConfigLoader.load(Map.of(), Map.of()));
  }

  public static WebLimits withHeartbeat(Duration heartbeat) {
    WebLimits d = defaults();
    return new WebLimits(d.queue(), d.maxStreams(), heartbeat, d.connections(), d.uploads());
  }

  static WebLimits withQueue(QueueLimits queue) {
    WebLimits d = defaults();
    return new WebLimits(queue, d.maxStreams(), d.heartbeat(), d.connections(), d.uploads());
  }

  static WebLimits withConnections(ConnectionLimits connections) {
    WebLimits d = defaults();
    return new WebLimits(d.queue(), d.maxStreams(), d.heartbeat(), connections, d.uploads());
  }

  static WebLimits withUploads(long maxUploadBytes, long quotaBytes, Duration ttl) {
    return withUploads(new UploadLimits(maxUploadBytes, quotaBytes, ttl, defaults().uploads().queryCacheBytes(),
        defaults().uploads().thumbnailCacheBytes()));
  }

  static WebLimits withUploads(UploadLimits uploads) {
    WebLimits d = defaults();
    return new WebLimits(d.queue(), d.maxStreams(), d.heartbeat(), d.connections(), uploads);
  }

  static WebLimits withMaxUploadBytes(long maxUploadBytes) {
    UploadLimits d = defaults().uploads();
    return withUploads(maxUploadBytes, Math.max(maxUploadBytes, d.quotaBytes()), d.ttl());
  }

  /** The minimal built-in page at /, no Gradio frontend. */
  static UiChoice minimalPage() {
    return new UiChoice(java.util.Optional.empty(), false, java.util.Optional.empty());
  }

  /** An open server: no token, Gradio's CORS policy, fresh metrics, ready when the service can count its images. */
  static WebOps openOps(SearchService search) {
    return ops(search, ApiToken.none(), Set.of());
  }

  static WebOps ops(SearchService search, ApiToken token, Set<String> corsOrigins) {
    return new WebOps(Map.of("store", search::imageCount), token, new Metrics(), corsOrigins);
  }
}
