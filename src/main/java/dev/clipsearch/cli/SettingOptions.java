package dev.clipsearch.cli;

import dev.clipsearch.config.ConfigLoader;
import dev.clipsearch.config.ServerConfig;
import dev.clipsearch.config.Setting;
import dev.clipsearch.config.Settings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The declared {@link Settings} as picocli options: a subcommand names one of the two transformers below in its
 * {@code @Command(modelTransformer = ...)}, and reads its configuration with {@link #config}. The options carry raw
 * strings; {@link ConfigLoader} parses them with the environment and the settings file, so a value is checked the same
 * way wherever it comes from.
 */
final class SettingOptions {
  private SettingOptions() {}

  /** ingest, search, embed, eval: every setting but the serve-only ones. */
  static final class Common implements IModelTransformer {
    @Override
    public CommandSpec transform(CommandSpec spec) {
      return addTo(spec, false);
    }
  }

  /** serve: every setting. */
  static final class Serve implements IModelTransformer {
    @Override
    public CommandSpec transform(CommandSpec spec) {
      return addTo(spec, true);
    }
  }

  private static CommandSpec addTo(CommandSpec spec, boolean serve) {
    for (Setting<?> s : Settings.ALL) {
      if (takes(s, serve)) {
        spec.addOption(option(s));
      }
    }
    return spec;
  }

  private static boolean takes(Setting<?> s, boolean serve) {
    return s.hasFlag() && (serve || s.scope() != Setting.Scope.SERVE);
  }

  private static OptionSpec option(Setting<?> s) {
    String where = s.inFile() ? "env " + s.environmentName() : "env " + s.environmentName() + ", not in the file";
    String dflt = s.defaultText().isEmpty() ? "" : "; default " + s.defaultText();
    OptionSpec.Builder b = OptionSpec.builder(s.flags().toArray(String[]::new))
        .description(s.help() + " (" + where + dflt + ")");
    return switch (s.arity()) {
      case SWITCH -> b.arity("0").type(boolean.class).build();
      case LIST -> b.paramLabel(s.label()).type(List.class).auxiliaryTypes(String.class).splitRegex(",").build();
      case VALUE -> b.paramLabel(s.label()).type(String.class).build();
    };
  }

  /** The settings given as flags, as the raw strings {@link ConfigLoader} parses. */
  static Map<Setting<?>, String> given(CommandSpec spec) {
    ParseResult parsed = spec.commandLine().getParseResult();
    Map<Setting<?>, String> given = new LinkedHashMap<>();
    for (Setting<?> s : Settings.ALL) {
      OptionSpec o = s.hasFlag() ? parsed.matchedOption(s.flag()) : null;
      if (o != null) {
        given.put(s, s.arity() == Setting.Arity.SWITCH ? "true" : String.join(",", o.originalStringValues()));
      }
    }
    return given;
  }

  /** Flags over the environment over the settings file over the defaults, checked. */
  static ServerConfig config(CommandSpec spec) {
    return ConfigLoader.load(given(spec), System.getenv());
  }
}
