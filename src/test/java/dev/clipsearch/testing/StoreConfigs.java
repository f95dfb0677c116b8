package dev.clipsearch.testing;

import dev.clipsearch.App;
import dev.clipsearch.config.ConfigLoader;
import dev.clipsearch.config.Setting;
import dev.clipsearch.store.StoreOptions;
import java.util.Map;

/** Store options for tests, built as {@code serve} builds them: from settings (the rest at their defaults). */
public final class StoreConfigs {
  private StoreConfigs() {}

  public static StoreOptions options(int dimension, Map<Setting<?>, String> settings) {
    return App.storeOptions(ConfigLoader.load(settings, Map.of()).store(), dimension);
  }
}
