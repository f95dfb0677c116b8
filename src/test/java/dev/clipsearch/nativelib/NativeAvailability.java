package dev.clipsearch.nativelib;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tests of the native path run when the build produced the library (it is on the test classpath) and must then
 * load; they are skipped, not failed, when the build skipped it (-Dnative.skip=true or no toolchain).
 */
public final class NativeAvailability {
  private NativeAvailability() {}

  public static void assumeBuiltAndLoaded() {
    assumeTrue(NativeLib.class.getResource(NativeLib.RESOURCE) != null, "native library not built");
    NativeLib.Status status = NativeLib.load();
    assertTrue(status.loaded(), "native library built but not loadable: " + status.detail());
  }
}
