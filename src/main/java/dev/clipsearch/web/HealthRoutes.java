package dev.clipsearch.web;

import static dev.clipsearch.web.Http.json;

import dev.clipsearch.ingest.IngestProgress;
import io.javalin.Javalin;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Probes for orchestrators. {@code /healthz}: liveness, 200 whenever the process serves HTTP at all (restarting a
 * process whose store is down would not bring the store back, so liveness ignores dependencies). {@code /readyz}:
 * 200 only when every {@link Readiness} check passes, else 503 with each check's reason, so a load balancer sends
 * traffic elsewhere while Milvus Lite restarts. A background ingest ({@code serve --images}) does not make the server
 * unready (search answers from what is stored so far); /readyz reports its progress under {@code ingest}.
 */
final class HealthRoutes {
  private final Readiness readiness;
  private final Supplier<Optional<IngestProgress>> ingest;

  HealthRoutes(Readiness readiness, Supplier<Optional<IngestProgress>> ingest) {
    this.readiness = readiness;
    this.ingest = ingest;
  }

  void register(Javalin app) {
    app.get("/healthz", ctx -> json(ctx, Map.of("status", "alive")));
    app.get("/readyz", ctx -> {
      Map<String, String> checks = readiness.check();
      boolean ready = checks.values().stream().allMatch("ok"::equals);
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("status", ready ? "ready" : "not ready");
      body.put("checks", checks);
      ingest.get().ifPresent(p -> body.put("ingest", p.toJson()));
      ctx.status(ready ? 200 : 503);
      json(ctx, body);
    });
  }
}
