package dev.clipsearch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path tmp;

  private Path file(String text) throws Exception {
    return Files.writeString(tmp.resolve("clip-search.properties"), text);
  }

  @Test
  void aSettingsFileFillsWhatTheEnvironmentLeavesOpen() throws Exception {
    Path f = file("# settings\nmax_batch_image = 32\nCLIPSRV_COLLECTION=photos\nqueue-capacity: 64\n");
    ConfigLoader c = ConfigLoader.from(Map.of("CLIPSRV_COLLECTION", "from_env"), f);
    assertEquals(32, c.getInt("MAX_BATCH_IMAGE", 16));
    assertEquals(64, c.getInt("QUEUE_CAPACITY", 1024));
    assertEquals("from_env", c.get("COLLECTION", "image_collection"), "the environment wins over the file");
    assertEquals("fp32", c.get("PRECISION", "fp32"), "unset everywhere: the default");
  }

  @Test
  void theFileCanBeNamedByTheEnvironment() throws Exception {
    Path f = file("device=cpu\n");
    assertEquals("cpu", ConfigLoader.from(Map.of("CLIPSRV_CONFIG", f.toString()), null).get("DEVICE", "auto"));
  }

  @Test
  void anUnknownSettingIsAnErrorNotASilentDefault() throws Exception {
    Path f = file("max_bach_image = 32\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConfigLoader.from(Map.of(), f));
    assertTrue(e.getMessage().contains("unknown setting 'max_bach_image'") && e.getMessage().contains("MAX_BATCH_IMAGE"),
        e.getMessage());
  }

  @Test
  void aMissingFileIsAClearError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ConfigLoader.from(Map.of(), tmp.resolve("nope.properties")));
    assertTrue(e.getMessage().startsWith("cannot read the settings file"), e.getMessage());
  }
}
