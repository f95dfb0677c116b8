package dev.clipsearch.nativelib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The sanitizer and fuzz job (native/scripts/sanitize.sh): the pipeline built with ASan + UBSan runs every test
 * image, then mutated copies for {@code -Dnative.fuzz.seconds} (default 60). Takes about 2 minutes with the build.
 * Skipped when the native library was not built (no toolchain, or -Dnative.skip=true), except under the test command,
 * which requires it ({@link NativeAvailability}).
 */
class NativeSanitizerIT {
  @Test
  void sanitizedPipelineSurvivesTestImagesAndBoundedFuzzing() throws Exception {
    NativeAvailability.assumeBuilt();
    String seconds = System.getProperty("native.fuzz.seconds", "60");
    ProcessBuilder pb = new ProcessBuilder(List.of("bash", "native/scripts/sanitize.sh", seconds));
    pb.redirectErrorStream(true);
    Path log = Files.createTempFile("sanitize", ".log");
    pb.redirectOutput(log.toFile());
    Process p = pb.start();
    boolean done = p.waitFor(Integer.parseInt(seconds) + 420L, TimeUnit.SECONDS);
    if (!done) {
      p.destroyForcibly();
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    System.out.println(out);
    assertTrue(done, "sanitizer job timed out:\n" + out);
    assertEquals(0, p.exitValue(), "sanitizer job failed (input saved in target/native/asan/crash.bin):\n" + out);
    assertTrue(out.contains("no failure"), out);
  }
}
