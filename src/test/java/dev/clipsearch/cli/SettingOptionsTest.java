package dev.clipsearch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.config.ConfigLoader;
import dev.clipsearch.config.ServerConfig;
import dev.clipsearch.config.Setting;
import dev.clipsearch.config.Settings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SettingOptionsTest {
  private static Map<Setting<?>, String> given(Object command, String... args) {
    CommandLine cli = new CommandLine(command);
    cli.parseArgs(args);
    return SettingOptions.given(cli.getCommandSpec());
  }

  @Test
  void flagsArriveAsTheRawStringsTheLoaderParses() {
    Map<Setting<?>, String> flags = given(new ServeCommand(), "--batch-size", "4", "--cors-origin",
        "https://a.example.com,https://b.example.com", "--cors-origin", "https://c.example.com", "--api-token-all",
        "--api-token", "a-long-token", "--device", "cpu");
    assertEquals("4", flags.get(Settings.MAX_BATCH_IMAGE), "an alias sets its setting");
    assertEquals("https://a.example.com,https://b.example.com,https://c.example.com", flags.get(Settings.CORS_ORIGINS));
    assertEquals("true", flags.get(Settings.API_TOKEN_ALL));
    assertEquals(5, flags.size(), "only what was given: " + flags);
    ServerConfig c = ConfigLoader.load(flags, Map.of("CLIPSRV_MAX_BATCH_IMAGE", "8"));
    assertEquals(4, c.imageBatch().maxBatch(), "the flag wins over the environment");
    assertEquals(List.of("https://a.example.com", "https://b.example.com", "https://c.example.com"),
        c.web().corsOrigins());
  }

  @Test
  void aDeprecatedSpellingStillSetsItsSettingAndSaysWhatToUseInstead() {
    CommandLine cli = new CommandLine(new ServeCommand());
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err, true));
    cli.parseArgs("--batch-size", "4");
    assertEquals("4", SettingOptions.given(cli.getCommandSpec()).get(Settings.MAX_BATCH_IMAGE));
    assertTrue(err.toString().contains("warning: --batch-size is deprecated (it sets the image batch only; texts "
        + "have --max-batch-text); use --max-batch-image"), err.toString());
    StringWriter quiet = new StringWriter();
    CommandLine current = new CommandLine(new ServeCommand());
    current.setErr(new PrintWriter(quiet, true));
    current.parseArgs("--max-batch-image", "4");
    SettingOptions.given(current.getCommandSpec());
    assertEquals("", quiet.toString(), "the current name is not warned about");
  }

  @Test
  void serveOnlyFlagsAreRefusedByTheOtherCommands() {
    assertThrows(CommandLine.UnmatchedArgumentException.class, () -> given(new SearchCommand(), "dog", "--port", "1"));
    assertEquals("1", given(new ServeCommand(), "--port", "1").get(Settings.PORT));
    assertEquals("32", given(new IngestCommand(), "dir", "--max-batch-text", "32").get(Settings.MAX_BATCH_TEXT));
  }

  @Test
  void helpNamesEachSettingsVariableAndDefault() {
    StringWriter out = new StringWriter();
    new CommandLine(new ServeCommand()).usage(new PrintWriter(out));
    String help = out.toString().replaceAll("\\s+", " ");
    for (Setting<?> s : Settings.ALL) {
      if (s.hasFlag()) {
        assertTrue(help.contains(s.flag()) && help.contains(s.environmentName()), s.name() + " missing from " + help);
      }
    }
    assertTrue(help.contains("env CLIPSRV_MAX_BATCH_IMAGE; default 16"), help);
  }
}
