package dev.clipsearch.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * One setting, declared once in {@link Settings}: its name gives the flag ({@code --max-batch-image}), the environment
 * variable ({@code CLIPSRV_MAX_BATCH_IMAGE}) and the settings-file key ({@code max_batch_image}); its parser gives the
 * type and the checks; its default, label and help give the CLI help and the README table. Nothing else names a
 * setting: the CLI builds its options from these, {@link ConfigLoader} reads the environment and the file with them.
 *
 * @param <T> the parsed type
 */
public final class Setting<T> {
  /** Where a setting is taken from. */
  public enum Scope {
    /** a flag of every subcommand, an environment variable and a settings-file key */
    ALL,
    /** a flag of {@code serve} only (the other subcommands do not serve), an environment variable and a file key */
    SERVE,
    /** a flag and an environment variable, not a file key (the file itself: {@code --config}) */
    NOT_IN_FILE,
    /** an environment variable only: read by logging before the command line is parsed */
    ENVIRONMENT
  }

  /** The section of the CLI help that lists a setting; a subcommand shows only the sections that apply to it. */
  public enum Group {
    /** what every subcommand reads: the settings file, the install root */
    GENERAL("General options"),
    /** the model and the batching engine around it */
    ENGINE("Model and engine options"),
    /** the vector store (Milvus) */
    STORE("Store options"),
    /** the web server ({@code serve} only) */
    SERVER("Server options"),
    /** how much is logged, and how */
    LOGGING("Logging options");

    private final String heading;

    Group(String heading) {
      this.heading = heading;
    }

    public String heading() {
      return heading;
    }
  }

  /** The shape of the flag. */
  public enum Arity {
    /** {@code --name VALUE} */
    VALUE,
    /** {@code --name} alone turns it on; the environment and the file say true or false */
    SWITCH,
    /** {@code --name A --name B} or {@code --name A,B}; the environment and the file: comma-separated */
    LIST
  }

  private final String name;
  private final String label;
  private final Function<String, T> parser;
  private final Function<Values, T> fallback;
  private final String defaultText;
  private final String help;
  private final Scope scope;
  private final Arity arity;
  private final Group group;
  private final List<String> flagAliases;
  private final Map<String, String> deprecatedFlags;
  private final List<String> envAliases;
  private final List<String> foreignEnv;
  private final String envName;

  private Setting(Builder<T> b) {
    this.name = b.name;
    this.label = b.label;
    this.parser = b.parser;
    this.fallback = Objects.requireNonNull(b.fallback, () -> b.name + " declares no default");
    this.defaultText = b.defaultText;
    this.help = Objects.requireNonNull(b.help, () -> b.name + " declares no help");
    this.scope = b.scope;
    this.arity = b.arity;
    this.group = Objects.requireNonNull(b.group, () -> b.name + " declares no group");
    this.flagAliases = List.copyOf(b.flagAliases);
    this.deprecatedFlags = Collections.unmodifiableMap(new LinkedHashMap<>(b.deprecatedFlags));
    this.envAliases = List.copyOf(b.envAliases);
    this.foreignEnv = List.copyOf(b.foreignEnv);
    this.envName = b.envName != null ? b.envName : ConfigLoader.ENV_PREFIX + b.name.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  /** What computed defaults may read: settings declared earlier, and the raw environment. */
  public interface Values {
    <V> V get(Setting<V> setting);

    String environment(String name);
  }

  /** Starts a declaration; {@code parser} throws IllegalArgumentException with a message that completes "NAME ...". */
  static <T> Builder<T> of(String name, String label, Function<String, T> parser) {
    return new Builder<>(name, label, parser);
  }

  public String name() {
    return name;
  }

  /** {@code --name}, then the aliases, then the deprecated spellings (accepted with a warning). */
  public List<String> flags() {
    List<String> all = new ArrayList<>();
    all.add("--" + name);
    all.addAll(flagAliases);
    all.addAll(deprecatedFlags.keySet());
    return all;
  }

  /** Spellings still accepted but warned about, each with why ({@link Builder#deprecatedFlag}). */
  public Map<String, String> deprecatedFlags() {
    return deprecatedFlags;
  }

  public String flag() {
    return "--" + name;
  }

  public boolean hasFlag() {
    return scope != Scope.ENVIRONMENT;
  }

  public boolean inFile() {
    return scope == Scope.ALL || scope == Scope.SERVE;
  }

  /** The CLIPSRV_ environment variable, then its older aliases (the first one set wins); the settings file's keys. */
  public List<String> environmentNames() {
    List<String> all = new ArrayList<>();
    all.add(envName);
    all.addAll(envAliases);
    return all;
  }

  /** Variables of other programs read after {@link #environmentNames()} (Gradio's GRADIO_SERVER_PORT, say). */
  public List<String> foreignEnvironmentNames() {
    return foreignEnv;
  }

  public String environmentName() {
    return envName;
  }

  public String label() {
    return label;
  }

  public String help() {
    return help;
  }

  public String defaultText() {
    return defaultText;
  }

  public Scope scope() {
    return scope;
  }

  public Arity arity() {
    return arity;
  }

  public Group group() {
    return group;
  }

  T parse(String raw) {
    return parser.apply(raw.strip());
  }

  T fallback(Values values) {
    return fallback.apply(values);
  }

  @Override
  public String toString() {
    return flag();
  }

  /** Collects one declaration; {@link Settings} is its only user. */
  static final class Builder<T> {
    private final String name;
    private final String label;
    private final Function<String, T> parser;
    private Function<Values, T> fallback;
    private String defaultText = "";
    private String help;
    private Scope scope = Scope.ALL;
    private Arity arity = Arity.VALUE;
    private Group group;
    private final List<String> flagAliases = new ArrayList<>();
    private final Map<String, String> deprecatedFlags = new LinkedHashMap<>();
    private final List<String> envAliases = new ArrayList<>();
    private String envName;
    private final List<String> foreignEnv = new ArrayList<>();

    private Builder(String name, String label, Function<String, T> parser) {
      this.name = name;
      this.label = label;
      this.parser = parser;
    }

    Builder<T> byDefault(T value) {
      return byDefault(String.valueOf(value), v -> value);
    }

    /** A default computed from other settings (declared earlier) or the machine; {@code text} documents it. */
    Builder<T> byDefault(String text, Function<Values, T> computed) {
      this.defaultText = text;
      this.fallback = computed;
      return this;
    }

    /** No value unless given; {@code text} says what happens then. */
    Builder<T> unsetMeans(String text) {
      return byDefault(text, v -> null);
    }

    Builder<T> help(String text) {
      this.help = text;
      return this;
    }

    Builder<T> scope(Scope s) {
      this.scope = s;
      return this;
    }

    Builder<T> arity(Arity a) {
      this.arity = a;
      return this;
    }

    Builder<T> group(Group g) {
      this.group = g;
      return this;
    }

    /** A second spelling of the flag (a short form, or a name the tutorial's users know). */
    Builder<T> flagAlias(String flag) {
      flagAliases.add(flag);
      return this;
    }

    /** An old spelling that still works but says less than the name does; using it prints a warning with {@code why}. */
    Builder<T> deprecatedFlag(String flag, String why) {
      deprecatedFlags.put(flag, why);
      return this;
    }

    Builder<T> environmentAlias(String suffix) {
      envAliases.add(ConfigLoader.ENV_PREFIX + suffix);
      return this;
    }

    /** An environment name that does not follow the flag's (kept for compatibility). */
    Builder<T> environment(String suffix) {
      this.envName = ConfigLoader.ENV_PREFIX + suffix;
      return this;
    }

    /**
     * A variable of another program read as a fallback, after the CLIPSRV_ names (e.g. Gradio's GRADIO_SERVER_PORT);
     * never a settings-file key.
     */
    Builder<T> foreignEnvironment(String name) {
      foreignEnv.add(name);
      return this;
    }

    Setting<T> build() {
      return new Setting<>(this);
    }
  }
}
