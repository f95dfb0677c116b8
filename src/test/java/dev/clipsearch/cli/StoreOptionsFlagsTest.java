package dev.clipsearch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.config.ConfigLoader;
import dev.clipsearch.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The Milvus database and model-record settings, from flags of every store command and from a settings file. */
class StoreOptionsFlagsTest {
  @TempDir Path tmp;

  private static ServerConfig.Store store(Object command, String... args) {
    CommandLine cli = new CommandLine(command);
    cli.parseArgs(args);
    return ConfigLoader.load(SettingOptions.given(cli.getCommandSpec()), Map.of()).store();
  }

  @Test
  void databaseAndAdoptionComeFromFlags() {
    ServerConfig.Store s = store(new ServeCommand(), "--milvus", "http://milvus:19530", "--milvus-db", "photos",
        "--adopt-collection");
    assertEquals("photos", s.database());
    assertTrue(s.adoptCollection());
    ServerConfig.Store ingest = store(new IngestCommand(), "dir", "--milvus-db", "photos", "--adopt-collection");
    assertEquals("photos", ingest.database(), "ingest reaches the same collection as serve");
    assertTrue(ingest.adoptCollection());
    ServerConfig.Store plain = store(new ServeCommand(), "--milvus", "http://milvus:19530");
    assertEquals("", plain.database(), "the server's default database");
    assertFalse(plain.adoptCollection());
  }

  @Test
  void orFromTheSettingsFileUnderTheirEnvironmentNames() throws Exception {
    Path f = Files.writeString(tmp.resolve("clip.properties"), "milvus_db = library\nadopt_collection = true\n");
    ServerConfig.Store s = store(new ServeCommand(), "--config", f.toString());
    assertEquals("library", s.database());
    assertTrue(s.adoptCollection());
  }

  @Test
  void anInvalidDatabaseNameIsRejectedAtStart() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> store(new ServeCommand(), "--milvus-db", "my-photos"));
    assertTrue(e.getMessage().contains("--milvus-db: must be letters, digits and _, not starting with a digit, got "
        + "'my-photos'"), e.getMessage());
  }
}
