package dev.clipsearch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.config.ConfigLoader;
import dev.clipsearch.config.ServerConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class EngineOptionsTest {
  private static EngineOptions parse(String... args) {
    EngineOptions o = new EngineOptions();
    new CommandLine(o).parseArgs(args);
    return o;
  }

  @Test
  void defaultsSuitATwoCoreBox() {
    ConfigLoader env = new ConfigLoader(Map.of());
    EngineOptions o = parse();
    assertEquals(new ServerConfig.Batching(32, 2000, 1024), o.text(env, 1024));
    assertEquals(new ServerConfig.Batching(16, 5000, 1024), o.image(env, 1024));
    // 0 threads = sized per precision at start (ThreadPlan)
    assertEquals(new ServerConfig.Engine(2, "float32", 0, 32, 60), o.engine(env));
    assertEquals(0, o.blasThreads(env));
  }

  @Test
  void fractionalMaxDelayAppliesToBothTowersAndMicrosecondAliasesWin() {
    ConfigLoader env = new ConfigLoader(Map.of());
    EngineOptions o = parse("--max-delay-ms", "0.5", "--batch-delay-us", "700", "--max-batch-text", "1");
    assertEquals(new ServerConfig.Batching(1, 500, 8), o.text(env, 8));
    assertEquals(700, o.image(env, 8).maxDelayMicros());
  }

  @Test
  void flagsWinOverEnvironmentWhichWinsOverDefaults() {
    ConfigLoader env = new ConfigLoader(Map.of("CLIPSRV_MAX_BATCH_IMAGE", "8", "CLIPSRV_MAX_DELAY_MS", "1.25",
        "CLIPSRV_IMAGE_TRANSFER", "uint8", "CLIPSRV_QUEUE_CAPACITY", "64", "CLIPSRV_REQUEST_WORKERS", "4"));
    EngineOptions o = parse("--max-batch-image", "4", "--batches-in-flight", "1");
    assertEquals(4, o.image(env, 1).maxBatch());
    assertEquals(1250, o.text(env, 1).maxDelayMicros());
    assertEquals(64, o.queueCapacity(env));
    assertEquals(new ServerConfig.Engine(1, "uint8", 0, 4, 60), o.engine(env));
    assertEquals(3, parse("--torch-threads", "3").engine(env).torchThreads());
  }

  @Test
  void legacyEnvironmentNamesStillWork() {
    ConfigLoader env = new ConfigLoader(Map.of("CLIPSRV_TEXT_BATCH", "12", "CLIPSRV_TEXT_BATCH_DELAY_US", "300"));
    assertEquals(new ServerConfig.Batching(12, 300, 1), parse().text(env, 1));
  }

  @Test
  void negativeOrNonNumericDelaysAreRejectedWithTheirName() {
    ConfigLoader env = new ConfigLoader(Map.of("CLIPSRV_MAX_DELAY_MS", "soon"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse().text(env, 1));
    assertTrue(e.getMessage().contains("CLIPSRV_MAX_DELAY_MS"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> parse("--max-delay-ms", "-1").text(new ConfigLoader(Map.of()), 1));
  }
}
