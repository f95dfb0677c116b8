package dev.clipsearch.nativelib;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads {@code libclipsearch_native} once per JVM: first from {@code java.library.path} (a system install or
 * {@code -Djava.library.path=...} wins, so a rebuilt library can be tried without repackaging), then from the jar
 * ({@value #RESOURCE}, extracted to a temporary file). When neither works (other OS or CPU, missing system library,
 * jar built with {@code -Dnative.skip=true}, or {@code -D}{@value #DISABLE_PROPERTY}{@code =false}) the reason is
 * logged once at WARN and callers use the pure-Java path.
 *
 * <p>Thread-safe: the first call loads, later calls return the same {@link Status}.
 */
public final class NativeLib {
  public static final String LIBRARY = "clipsearch_native";
  public static final String RESOURCE = "/native/linux-x86_64/libclipsearch_native.so";
  /** {@code -Dclipsearch.native=false} turns the native path off (e.g. to compare with the Java path). */
  public static final String DISABLE_PROPERTY = "clipsearch.native";

  private static final Logger log = LoggerFactory.getLogger(NativeLib.class);
  private static Status status;

  /** Whether the library is loaded, from where, and otherwise why not. */
  public record Status(boolean loaded, String detail) {}

  private NativeLib() {}

  public static synchronized Status load() {
    if (status == null) {
      status = tryLoad();
      if (status.loaded()) {
        log.info("native image pipeline loaded: {}", status.detail());
      } else {
        log.warn("native image pipeline unavailable, using the Java path: {}", status.detail());
      }
    }
    return status;
  }

  /**
   * @throws UnsupportedOperationException with the reason when the library cannot be used; callers fall back to
   *     the Java path
   */
  public static void require() {
    Status s = load();
    if (!s.loaded()) {
      throw new UnsupportedOperationException("native image pipeline unavailable: " + s.detail());
    }
  }

  private static Status tryLoad() {
    if ("false".equalsIgnoreCase(System.getProperty(DISABLE_PROPERTY, "true"))) {
      return new Status(false, "disabled by -D" + DISABLE_PROPERTY + "=false");
    }
    String platform = System.getProperty("os.name", "?").toLowerCase(Locale.ROOT) + "-" + System.getProperty("os.arch");
    if (!platform.equals("linux-amd64")) {
      return new Status(false, "no build for " + platform + " (the jar carries linux-x86_64 only)");
    }
    String systemPathError;
    try {
      System.loadLibrary(LIBRARY);
      return verified("java.library.path");
    } catch (UnsatisfiedLinkError e) {
      systemPathError = e.getMessage();
    }
    try (InputStream in = NativeLib.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        return new Status(false, "lib" + LIBRARY + ".so is neither on java.library.path nor in the jar at "
            + RESOURCE + " (built with -Dnative.skip=true, or the toolchain was missing at build time)");
      }
      Path file = Files.createTempFile("lib" + LIBRARY, ".so");
      file.toFile().deleteOnExit();
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      System.load(file.toString());
      return verified("classpath " + RESOURCE);
    } catch (IOException | UnsatisfiedLinkError e) {
      return new Status(false, "cannot load from the jar (" + e.getMessage() + "); java.library.path: " + systemPathError);
    }
  }

  /** A library that loads but lacks our entry points (an old build on the path) counts as absent. */
  private static Status verified(String source) {
    try {
      return new Status(true, source + ", " + NativeImageOps.libraryVersions());
    } catch (UnsatisfiedLinkError e) {
      return new Status(false, "library from " + source + " lacks the expected entry points: " + e.getMessage());
    }
  }
}
