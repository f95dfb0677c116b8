package dev.clipsearch.nativelib;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tests of the native path need the library the build produced (it is on the test classpath), and it must load. The
 * test command ({@code src/scripts/test.sh}) sets {@code -Dnative.required=true}, and then a missing library fails
 * these tests; only a plain developer build without the toolchain ({@code -Dnative.skip=true}, or no cmake) skips them.
 */
public final class NativeAvailability {
  private NativeAvailability() {}

  public static boolean required() {
    return Boolean.getBoolean("native.required");
  }

  /** Fails when the test command requires the library and the build did not produce it; skips otherwise. */
  public static void assumeBuilt() {
    boolean built = NativeLib.class.getResource(NativeLib.RESOURCE) != null;
    if (required()) {
      assertTrue(built, "native library not built, but -Dnative.required=true (see native/scripts/build.sh)");
    }
    assumeTrue(built, "native library not built");
  }

  public static void assumeBuiltAndLoaded() {
    assumeBuilt();
    NativeLib.Status status = NativeLib.load();
    assertTrue(status.loaded(), "native library built but not loadable: " + status.detail());
  }
}
