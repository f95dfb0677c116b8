package dev.clipsearch.cli;

import dev.clipsearch.config.ConfigLoader;
import dev.clipsearch.config.ServerConfig;
import dev.clipsearch.config.Setting;
import dev.clipsearch.config.Setting.Group;
import dev.clipsearch.config.Settings;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Help;
import picocli.CommandLine.IHelpSectionRenderer;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.ParseResult;

/**
 * The declared {@link Settings} as picocli options. A subcommand names the transformer below that fits what it uses in
 * its {@code @Command(modelTransformer = ...)}, and reads its configuration with {@link #config}. The options carry
 * raw strings; {@link ConfigLoader} parses them with the environment and the settings file, so a value is checked the
 * same way wherever it comes from.
 *
 * <p>Help: a subcommand's own options come first (picocli's option list); the settings follow in one section per
 * {@link Group}, and only the groups that apply to the subcommand are added at all (embed and eval have no store, so
 * no store options). The setting options are hidden from picocli's own list and drawn by {@link GroupSection}.
 */
final class SettingOptions {
  private SettingOptions() {}

  /** serve: every group. */
  static final class Serve implements IModelTransformer {
    @Override
    public CommandSpec transform(CommandSpec spec) {
      return addTo(spec, EnumSet.allOf(Group.class));
    }
  }

  /** ingest and search: the model and the store. */
  static final class ModelAndStore implements IModelTransformer {
    @Override
    public CommandSpec transform(CommandSpec spec) {
      return addTo(spec, EnumSet.of(Group.ENGINE, Group.STORE, Group.GENERAL, Group.LOGGING));
    }
  }

  /** embed and eval: the model only. */
  static final class ModelOnly implements IModelTransformer {
    @Override
    public CommandSpec transform(CommandSpec spec) {
      return addTo(spec, EnumSet.of(Group.ENGINE, Group.GENERAL, Group.LOGGING));
    }
  }

  /** stats and delete: the store only (no model is loaded). */
  static final class StoreOnly implements IModelTransformer {
    @Override
    public CommandSpec transform(CommandSpec spec) {
      return addTo(spec, EnumSet.of(Group.STORE, Group.GENERAL, Group.LOGGING));
    }
  }

  private static CommandSpec addTo(CommandSpec spec, Set<Group> groups) {
    for (Setting<?> s : Settings.ALL) {
      if (s.hasFlag() && groups.contains(s.group())) {
        spec.addOption(option(s, s.flags().stream().filter(f -> !s.deprecatedFlags().containsKey(f)).toList()));
        // A deprecated spelling is an option of its own, so the help never shows it (see given()).
        s.deprecatedFlags().keySet().forEach(old -> spec.addOption(option(s, List.of(old))));
      }
    }
    UsageMessageSpec usage = spec.usageMessage();
    usage.abbreviateSynopsis(true); // "[OPTIONS]": the settings would make the synopsis a page long
    List<String> keys = new ArrayList<>(usage.sectionKeys());
    int at = keys.indexOf(UsageMessageSpec.SECTION_KEY_OPTION_LIST) + 1;
    for (Group g : Group.values()) {
      if (groups.contains(g)) {
        String key = "settings-" + g.name().toLowerCase(java.util.Locale.ROOT);
        keys.add(at++, key);
        usage.sectionMap().put(key, new GroupSection(g));
      }
    }
    usage.sectionKeys(keys);
    return spec;
  }

  private static OptionSpec option(Setting<?> s, List<String> names) {
    String where = s.inFile() ? "env " + s.environmentName() : "env " + s.environmentName() + ", not in the file";
    String dflt = s.defaultText().isEmpty() ? "" : "; default " + s.defaultText();
    OptionSpec.Builder b = OptionSpec.builder(names.toArray(String[]::new)).hidden(true)
        .description(s.help() + " (" + where + dflt + ")");
    return switch (s.arity()) {
      case SWITCH -> b.arity("0").type(boolean.class).build();
      case LIST -> b.paramLabel(s.label()).type(List.class).auxiliaryTypes(String.class).splitRegex(",").build();
      case VALUE -> b.paramLabel(s.label()).type(String.class).build();
    };
  }

  /** One group's options under its heading; the environment-only settings of the group are listed after them. */
  private record GroupSection(Group group) implements IHelpSectionRenderer {
    @Override
    public String render(Help help) {
      Help.Layout layout = help.createDefaultLayout();
      Help.IParamLabelRenderer labels = help.createDefaultParamLabelRenderer();
      boolean any = false;
      for (Setting<?> s : Settings.ALL) {
        if (s.group() != group) {
          continue;
        }
        if (s.hasFlag()) {
          OptionSpec o = help.commandSpec().findOption(s.flag());
          if (o != null) {
            layout.addOption(o, labels);
            any = true;
          }
        } else {
          layout.addOption(OptionSpec.builder(s.environmentName()).arity("0").description(s.help()
              + " (environment only; default " + s.defaultText() + ")").build(), labels);
          any = true;
        }
      }
      return any ? String.format("%n%s:%n", group.heading()) + layout : "";
    }
  }

  /**
   * The settings given as flags, as the raw strings {@link ConfigLoader} parses. A deprecated spelling counts when
   * the current one is not given, and is warned about on stderr.
   */
  static Map<Setting<?>, String> given(CommandSpec spec) {
    ParseResult parsed = spec.commandLine().getParseResult();
    Map<Setting<?>, String> given = new LinkedHashMap<>();
    for (Setting<?> s : Settings.ALL) {
      OptionSpec o = s.hasFlag() ? parsed.matchedOption(s.flag()) : null;
      for (Map.Entry<String, String> old : s.deprecatedFlags().entrySet()) {
        OptionSpec d = parsed.matchedOption(old.getKey());
        if (d != null) {
          spec.commandLine().getErr().println("warning: " + old.getKey() + " is deprecated (" + old.getValue()
              + "); use " + s.flag());
          o = o != null ? o : d;
        }
      }
      if (o != null) {
        given.put(s, s.arity() == Setting.Arity.SWITCH ? "true" : String.join(",", o.originalStringValues()));
      }
    }
    return given;
  }

  /** Flags over the environment over the settings file over the defaults, checked; then the command's logging. */
  static ServerConfig config(CommandSpec spec) {
    ServerConfig config = ConfigLoader.load(given(spec), System.getenv());
    CliLogging.apply(config.logging(), spec.name().equals("serve"));
    return config;
  }
}
