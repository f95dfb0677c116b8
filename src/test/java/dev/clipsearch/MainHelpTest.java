package dev.clipsearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;

/**
 * The CLI's help texts are part of its interface: each one is kept as a snapshot under src/test/resources/cli-help/,
 * and this test fails when a help text drifts from its snapshot. After an intended change, regenerate them with
 * {@code mvn -q -Dtest=MainHelpTest -Dhelp.write=true test} and review the diff.
 */
class MainHelpTest {
  private static final Path SNAPSHOTS = Path.of("src/test/resources/cli-help");

  @Test
  void everyHelpTextMatchesItsSnapshot() throws Exception {
    List<String> drifted = new ArrayList<>();
    for (Map.Entry<String, String> help : helpTexts().entrySet()) {
      Path snapshot = SNAPSHOTS.resolve(help.getKey() + ".txt");
      String current = Files.exists(snapshot) ? Files.readString(snapshot, StandardCharsets.UTF_8) : "";
      if (current.equals(help.getValue())) {
        continue;
      }
      if (Boolean.getBoolean("help.write")) {
        Files.createDirectories(SNAPSHOTS);
        Files.writeString(snapshot, help.getValue(), StandardCharsets.UTF_8);
      } else {
        drifted.add(help.getKey());
      }
    }
    assertEquals(List.of(), drifted, "help texts differ from src/test/resources/cli-help/ (regenerate after an "
        + "intended change: mvn -q -Dtest=MainHelpTest -Dhelp.write=true test)");
  }

  @Test
  void eachCommandShowsOnlyTheSettingSectionsThatApplyToIt() {
    Map<String, String> help = helpTexts();
    for (String command : List.of("serve", "ingest", "search", "stats", "delete", "embed", "eval", "migrate")) {
      String text = help.get(command);
      boolean model = !List.of("stats", "delete").contains(command);
      boolean store = !List.of("embed", "eval").contains(command);
      assertEquals(model, text.contains("\nModel and engine options:\n"), command);
      assertEquals(store, text.contains("\nStore options:\n"), command);
      assertEquals(command.equals("serve"), text.contains("\nServer options:\n"), command);
      assertTrue(text.contains("\nGeneral options:\n") && text.contains("\nLogging options:\n"), command);
      assertEquals(store, text.contains("--milvus=URI"), command);
      // the command's own options come before the first section
      int sections = text.indexOf("\nGeneral options:\n");
      assertTrue(text.indexOf("-h, --help") < sections, command);
    }
    assertTrue(help.get("search").indexOf("--top-k") < help.get("search").indexOf("General options:"));
    assertFalse(help.get("serve").contains("--batch-size"), "a deprecated spelling is not advertised");
  }

  @Test
  void theCommandListShowsEachDescriptionAsAWholeSentence() {
    CommandLine cli = Main.commandLine();
    for (Map.Entry<String, CommandLine> sub : cli.getSubcommands().entrySet()) {
      String[] description = sub.getValue().getCommandSpec().usageMessage().description();
      String first = description.length > 0 ? description[0] : "";
      assertTrue(first.endsWith("."), sub.getKey() + ": the list shows only the first line, so it must be a whole "
          + "sentence: " + first);
    }
  }

  @Test
  void theTopKLimitIsStatedInTheSearchHelp() {
    String search = helpTexts().get("search");
    assertTrue(search.contains("1.." + dev.clipsearch.search.Query.MAX_K), search);
    assertTrue(search.contains("At most " + dev.clipsearch.search.Query.MAX_K + " results"), search);
  }

  /** "clip-search" for the top level, else the subcommand's name → its help as printed by --help. */
  private static Map<String, String> helpTexts() {
    CommandLine cli = Main.commandLine();
    Map<String, String> texts = new java.util.LinkedHashMap<>();
    texts.put("clip-search", cli.getUsageMessage(Ansi.OFF));
    cli.getSubcommands().forEach((name, sub) -> {
      if (!name.equals("help")) {
        texts.put(name, sub.getUsageMessage(Ansi.OFF));
      }
    });
    return texts;
  }
}
