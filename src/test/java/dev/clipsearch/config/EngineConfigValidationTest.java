package dev.clipsearch.config;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class EngineConfigValidationTest {
  private static ServerConfig with(ServerConfig.Batching text, ServerConfig.Engine engine) {
    return new ServerConfig(Path.of("m.pt"), Path.of("data"), new ServerConfig.Model("cpu", "fp32", 2, 0), text,
        new ServerConfig.Batching(16, 5000, 1024), engine,
        new ServerConfig.Store("data/milvus", "", "image_collection", "python3"),
        new ServerConfig.Web("127.0.0.1", 0, 1 << 20, null));
  }

  private static final ServerConfig.Batching TEXT = new ServerConfig.Batching(32, 2000, 1024);
  private static final ServerConfig.Engine ENGINE = new ServerConfig.Engine(2, "float32", 1, 32, 60);

  @Test
  void theDefaultsAreValid() {
    with(TEXT, ENGINE).validate();
  }

  @Test
  void everyBadKnobIsListedInOneError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> with(new ServerConfig.Batching(0, -1, 0), new ServerConfig.Engine(3, "fp8", -1, 0, -1)).validate());
    for (String expected : new String[] {"batch size", "batch delay", "queue capacity", "batches in flight",
        "image transfer", "torch threads", "request workers", "metrics log"}) {
      assertTrue(e.getMessage().contains(expected), expected + " missing from: " + e.getMessage());
    }
  }

  @Test
  void theLoggedConfigurationShowsTheEngineKnobs() {
    String s = with(TEXT, ENGINE).toString();
    assertTrue(s.contains("batchesInFlight=2") && s.contains("imageTransfer=float32"), s);
  }

  @Test
  void corsOriginsMustBeBareOrigins() {
    ServerConfig.Web web = new ServerConfig.Web("127.0.0.1", 0, 1 << 20, null, "", false,
        java.util.List.of("https://ok.example.com", "https://bad.example.com/path", "*", "ftp://x"), 1 << 20, 0);
    ServerConfig c = new ServerConfig(Path.of("m.pt"), Path.of("data"), new ServerConfig.Model("cpu", "fp32", 2, 0),
        TEXT, new ServerConfig.Batching(16, 5000, 1024), ENGINE,
        new ServerConfig.Store("data/milvus", "", "image_collection", "python3"), web);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, c::validate);
    for (String bad : new String[] {"https://bad.example.com/path", ": *", "ftp://x", "upload TTL"}) {
      assertTrue(e.getMessage().contains(bad), bad + " missing from: " + e.getMessage());
    }
    assertTrue(!e.getMessage().contains("https://ok.example.com"), e.getMessage());
  }

  @Test
  void uiIsDefaultGradioOrAFolderAndATypoIsRefused() {
    for (String ok : new String[] {"default", "gradio", "."}) {
      withUi(ok).validate();
    }
    assertTrue(withUi(null).web().ui().equals("default"), "unset means the hand-built page");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> withUi("gradoi").validate());
    assertTrue(e.getMessage().contains("ui must be default, gradio or the folder of a built page: gradoi"), e.getMessage());
  }

  private static ServerConfig withUi(String ui) {
    ServerConfig c = with(TEXT, ENGINE);
    return new ServerConfig(c.model(), c.dataDir(), c.runtime(), c.textBatch(), c.imageBatch(), c.engine(), c.store(),
        new ServerConfig.Web("127.0.0.1", 0, 1 << 20, ui));
  }
}
