package dev.clipsearch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The declarations are the one source of the settings: the README's options table is generated from them, so this
 * test fails when the table is stale. Regenerate it with
 * {@code mvn -q -Dtest=SettingsTest -Dreadme.write=true test}.
 */
class SettingsTest {
  static final Path README = Path.of("README.md");
  static final String BEGIN = "<!-- settings:begin (generated from config/Settings.java by SettingsTest; do not edit) -->";
  static final String END = "<!-- settings:end -->";

  @Test
  void theReadmeOptionsTableIsGeneratedFromTheDeclarations() throws Exception {
    String readme = Files.readString(README, StandardCharsets.UTF_8);
    int begin = readme.indexOf(BEGIN);
    int end = readme.indexOf(END);
    assertTrue(begin >= 0 && end > begin, "README.md lacks the settings markers");
    String current = readme.substring(begin + BEGIN.length(), end);
    String generated = "\n" + table();
    if (Boolean.getBoolean("readme.write") && !current.equals(generated)) {
      Files.writeString(README, readme.substring(0, begin + BEGIN.length()) + generated + readme.substring(end),
          StandardCharsets.UTF_8);
      return;
    }
    assertEquals(generated, current,
        "README.md's options table is stale: mvn -q -Dtest=SettingsTest -Dreadme.write=true test");
  }

  @Test
  void namesFlagsAndVariablesAreUnique() {
    Set<String> seen = new HashSet<>();
    for (Setting<?> s : Settings.ALL) {
      for (String name : s.environmentNames()) {
        assertTrue(seen.add(name), "declared twice: " + name);
      }
      for (String flag : s.hasFlag() ? s.flags() : java.util.List.<String>of()) {
        assertTrue(seen.add(flag), "declared twice: " + flag);
      }
    }
  }

  @Test
  void everySettingHasAnEnvironmentVariableAndEveryOtherAFlag() {
    for (Setting<?> s : Settings.ALL) {
      assertTrue(s.environmentName().startsWith("CLIPSRV_"), s.name());
      assertTrue(s.hasFlag() || s.scope() == Setting.Scope.ENVIRONMENT, s.name());
      assertTrue(!s.help().isBlank(), s.name() + " has no help");
    }
  }

  @Test
  void theServeOnlySettingsAreExactlyTheServerSection() {
    for (Setting<?> s : Settings.ALL) {
      assertEquals(s.scope() == Setting.Scope.SERVE, s.group() == Setting.Group.SERVER, s.name());
    }
  }

  /** One row per setting, in declaration order. */
  static String table() {
    StringBuilder t = new StringBuilder("| flag | environment | default | meaning |\n|---|---|---|---|\n");
    for (Setting<?> s : Settings.ALL) {
      t.append("| ").append(flagCell(s)).append(" | ").append(envCell(s)).append(" | ")
          .append(escape(s.defaultText())).append(" | ").append(escape(s.help()))
          .append(s.scope() == Setting.Scope.SERVE ? "; `serve` only" : "").append(" |\n");
    }
    return t.toString();
  }

  private static String flagCell(Setting<?> s) {
    if (!s.hasFlag()) {
      return "";
    }
    String label = s.arity() == Setting.Arity.SWITCH ? "" : " " + s.label();
    String aliases = s.flags().stream().skip(1).filter(f -> !s.deprecatedFlags().containsKey(f))
        .map(f -> "`" + f + "`").collect(Collectors.joining(", "));
    String deprecated = s.deprecatedFlags().entrySet().stream()
        .map(d -> "`" + d.getKey() + "` deprecated: " + d.getValue()).collect(Collectors.joining("; "));
    String notes = Stream.of(aliases, deprecated).filter(n -> !n.isEmpty()).collect(Collectors.joining("; "));
    return "`" + escape(s.flag() + label) + "`" + (notes.isEmpty() ? "" : " (" + notes + ")");
  }

  private static String envCell(Setting<?> s) {
    String aliases = s.environmentNames().stream().skip(1).map(n -> "`" + n + "`").collect(Collectors.joining(", "));
    String where = switch (s.scope()) {
      case ENVIRONMENT -> " (environment only)";
      case NOT_IN_FILE -> " (not in the file)";
      default -> s.arity() == Setting.Arity.LIST ? " (comma-separated)" : "";
    };
    String foreign = s.foreignEnvironmentNames().stream().map(n -> "`" + n + "`").collect(Collectors.joining(", "));
    return "`" + s.environmentName() + "`" + (aliases.isEmpty() ? "" : ", also " + aliases)
        + (foreign.isEmpty() ? "" : ", else " + foreign) + where;
  }

  private static String escape(String cell) {
    return cell.replace("|", "\\|");
  }
}
