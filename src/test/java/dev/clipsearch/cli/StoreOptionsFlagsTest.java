package dev.clipsearch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The Milvus database and model-record settings, from flags and from a settings file. */
class StoreOptionsFlagsTest {
  @TempDir Path tmp;

  private static ServerConfig.Store store(String... args) {
    CommonOptions o = new CommonOptions();
    new CommandLine(o).parseArgs(args);
    return o.toConfig("127.0.0.1", 0, null).store();
  }

  @Test
  void databaseAndAdoptionComeFromFlags() {
    ServerConfig.Store s = store("--milvus", "http://milvus:19530", "--milvus-db", "photos", "--adopt-collection");
    assertEquals("photos", s.database());
    assertTrue(s.adoptCollection());
    ServerConfig.Store plain = store("--milvus", "http://milvus:19530");
    assertEquals("", plain.database(), "the server's default database");
    assertFalse(plain.adoptCollection());
  }

  @Test
  void orFromTheSettingsFileUnderTheirEnvironmentNames() throws Exception {
    Path f = Files.writeString(tmp.resolve("clip.properties"), "milvus_db = library\nadopt_collection = true\n");
    ServerConfig.Store s = store("--config", f.toString());
    assertEquals("library", s.database());
    assertTrue(s.adoptCollection());
  }

  @Test
  void anInvalidDatabaseNameIsRejectedAtStart() {
    CommonOptions o = new CommonOptions();
    new CommandLine(o).parseArgs("--milvus-db", "my-photos");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> o.toConfig("127.0.0.1", 0, null).validate());
    assertTrue(e.getMessage().contains("milvus database must be letters, digits and _"), e.getMessage());
  }
}
