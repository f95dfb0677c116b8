package dev.clipsearch.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The resolved value of each setting and the level it came from; filled in declaration order by {@link ConfigLoader}. */
final class SettingValues implements Setting.Values {
  private final Map<String, String> env;
  private final Map<Setting<?>, Object> values = new HashMap<>();
  private final Map<Setting<?>, ConfigLoader.Level> levels = new HashMap<>();

  SettingValues(Map<String, String> env) {
    this.env = env;
  }

  /** Parses what was given, or takes the default; a bad value is reported and replaced by the default. */
  void resolve(Setting<?> s, ConfigLoader.Source given, List<String> errors) {
    if (given != null) {
      try {
        values.put(s, s.parse(given.raw()));
        levels.put(s, given.level());
        return;
      } catch (IllegalArgumentException e) {
        errors.add(given.where() + ": " + e.getMessage());
      }
    }
    values.put(s, s.fallback(this));
    levels.put(s, ConfigLoader.Level.DEFAULT);
  }

  @Override
  @SuppressWarnings("unchecked") // resolve() stored what the setting's own parser or default returned
  public <V> V get(Setting<V> setting) {
    if (!levels.containsKey(setting)) {
      throw new IllegalStateException(setting + " is read before it is resolved: declare it earlier in Settings");
    }
    return (V) values.get(setting);
  }

  ConfigLoader.Level level(Setting<?> setting) {
    return levels.get(setting);
  }

  @Override
  public String environment(String name) {
    return env.get(name);
  }
}
