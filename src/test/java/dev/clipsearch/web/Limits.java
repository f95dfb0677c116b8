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
    return new WebLimits(d.queue(), d.maxStreams(), d.maxUploadBytes(), heartbeat, d.uploadQuotaBytes(), d.uploadTtl());
  }

  static WebLimits withQueue(QueueLimits queue) {
    WebLimits d = defaults();
    return new WebLimits(queue, d.maxStreams(), d.maxUploadBytes(), d.heartbeat(), d.uploadQuotaBytes(), d.uploadTtl());
  }

  static WebLimits withUploads(long maxUploadBytes, long quotaBytes, Duration ttl) {
    WebLimits d = defaults();
    return new WebLimits(d.queue(), d.maxStreams(), maxUploadBytes, d.heartbeat(), quotaBytes, ttl);
  }

  static WebLimits withMaxUploadBytes(long maxUploadBytes) {
    WebLimits d = defaults();
    return withUploads(maxUploadBytes, Math.max(maxUploadBytes, d.uploadQuotaBytes()), d.uploadTtl());
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
