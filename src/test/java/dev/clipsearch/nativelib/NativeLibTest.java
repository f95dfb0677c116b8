package dev.clipsearch.nativelib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Loading: the built library loads from the classpath; when it cannot be used, callers fall back with one WARN. */
class NativeLibTest {
  @Test
  void builtLibraryLoadsAndReportsItsDecoders() {
    NativeAvailability.assumeBuiltAndLoaded();
    String detail = NativeLib.load().detail();
    assertTrue(detail.contains("libpng") && detail.contains("libwebp") && detail.contains("giflib"), detail);
  }

  @Test
  void disabledLibraryFallsBackToJavaWithOneWarning() throws Exception {
    String out = runProbe("-D" + NativeLib.DISABLE_PROPERTY + "=false");
    assertTrue(out.contains("usesNative=false,false sameAsJava=true"), out);
    assertEquals(1, count(out, "native image pipeline unavailable, using the Java path: disabled by"), out);
  }

  @Test
  void childJvmUsesTheLibraryWhenBuilt() throws Exception {
    NativeAvailability.assumeBuiltAndLoaded();
    String out = runProbe("-Dclipsearch.unused=1");
    assertTrue(out.contains("usesNative=true,true sameAsJava=true"), out);
    assertEquals(1, count(out, "native image pipeline loaded"), out);
  }

  private static String runProbe(String property) throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder pb = new ProcessBuilder(List.of(java.toString(), property, "-cp",
        System.getProperty("java.class.path"), "dev.clipsearch.model.image.NativeFallbackProbe"));
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    return out;
  }

  private static int count(String text, String needle) {
    Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}
