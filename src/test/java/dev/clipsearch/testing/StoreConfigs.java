package dev.clipsearch.testing;

import dev.clipsearch.App;
import dev.clipsearch.config.ConfigLoader;
import dev.clipsearch.config.Setting;
import dev.clipsearch.store.ModelStamp;
import dev.clipsearch.store.StoreOptions;
import java.util.HashMap;
import java.util.Map;

/** Store options for tests, built as {@code serve} builds them: from settings (the rest at their defaults). */
public final class StoreConfigs {
  private StoreConfigs() {}

  /** Options for vectors of the test's own, checked against no model record. */
  public static StoreOptions options(int dimension, Map<Setting<?>, String> settings) {
    return App.storeOptions(ConfigLoader.load(settings, Map.of()).store(), dimension, null);
  }

  /** Options for {@code model}'s vectors, recorded in the collection and checked on open, as {@code serve} does. */
  public static StoreOptions options(ModelStamp model, Map<Setting<?>, String> settings) {
    return App.storeOptions(ConfigLoader.load(settings, Map.of()).store(), model.dimension(), model);
  }

  /** {@code settings} with {@code more} added; {@code more} wins where both name a setting. */
  public static Map<Setting<?>, String> with(Map<Setting<?>, String> settings, Map<Setting<?>, String> more) {
    Map<Setting<?>, String> all = new HashMap<>(settings);
    all.putAll(more);
    return Map.copyOf(all);
  }
}
