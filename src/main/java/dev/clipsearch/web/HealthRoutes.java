package dev.clipsearch.web;

import static dev.clipsearch.web.Http.json;

import io.javalin.Javalin;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Probes for orchestrators. {@code /healthz}: liveness, 200 whenever the process serves HTTP at all (restarting a
 * process whose store is down would not bring the store back, so liveness ignores dependencies). {@code /readyz}:
 * 200 only when every {@link Readiness} check passes, else 503 with each check's reason, so a load balancer sends
 * traffic elsewhere while Milvus Lite restarts.
 */
final class HealthRoutes {
  private final Readiness readiness;

  HealthRoutes(Readiness readiness) {
    this.readiness = readiness;
  }

  void register(Javalin app) {
    app.get("/healthz", ctx -> json(ctx, Map.of("status", "alive")));
    app.get("/readyz", ctx -> {
      Map<String, String> checks = readiness.check();
      boolean ready = checks.values().stream().allMatch("ok"::equals);
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("status", ready ? "ready" : "not ready");
      body.put("checks", checks);
      ctx.status(ready ? 200 : 503);
      json(ctx, body);
    });
  }
}
