package dev.clipsearch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.gradio.ConfigBuilder;
import dev.clipsearch.testing.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The main command, {@code src/scripts/run.sh}, on a clean copy of the repository (the files git tracks, and new ones
 * not yet committed: what a clone holds) installs what serving needs and nothing that only the tests need.
 *
 * <p>It runs the real script with real downloads (pip installs Milvus Lite, the vocabulary and Gradio's frontend),
 * with a PATH whose first folder holds recording stand-ins: the tools of the test tier (apt-get, sudo, npm, npx,
 * chromium, cmake, compilers, clang-format) record the call and fail; python3, node and curl record the call and run
 * the real tool; mvn and java record the call and do nothing (the build and the server are what every other test
 * runs; here they would only take minutes). Then it checks the calls, what is in the copy's .cache/ and venv, and
 * that a second run installs nothing.
 */
class RunScriptIT {
  /** Tools only {@code setup.sh --test} may run. */
  private static final List<String> TEST_ONLY = List.of("apt-get", "apt", "sudo", "dpkg", "npm", "npx", "chromium",
      "cmake", "make", "g++", "gcc", "c++", "clang-format", "podman", "docker");
  private static final List<String> PASS_THROUGH = List.of("python3", "node", "curl");

  @TempDir Path tmp;

  @Test
  void mainCommandOnACleanCopyInstallsOnlyWhatServingNeeds() throws Exception {
    Path repo = cleanCopy(tmp.resolve("repo"));
    Path calls = tmp.resolve("calls.log");
    Path bin = standIns(tmp.resolve("bin"), calls);
    Path images = Files.createDirectories(tmp.resolve("images"));
    String model = SharedData.tinyClipModel().toString();

    String first = run(repo, bin, calls, "--model", model, "--images", images.toString(), "--port", "0");
    List<String> seen = Files.readAllLines(calls, StandardCharsets.UTF_8);
    for (String call : seen) {
      String tool = call.split(" ", 2)[0];
      assertFalse(TEST_ONLY.contains(tool), "the main command ran a test-only tool: " + call + "\n" + first);
    }
    assertTrue(seen.stream().anyMatch(c -> c.startsWith("python3 -m venv")), "the stand-ins saw no python3: " + seen);
    assertTrue(seen.stream().anyMatch(c -> c.startsWith("mvn ") && c.contains(" package")), "no build: " + seen);
    assertEquals("java -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 -jar target/clip-search.jar serve --model " + model
        + " --images " + images + " --port 0", seen.get(seen.size() - 1), "the server starts last, with the arguments");

    Path cache = repo.resolve(".cache");
    assertEquals(Set.of("venv", "generated-resources", "gradio-frontend"), names(cache), "what .cache/ holds");
    assertEquals(Set.of(ConfigBuilder.VERSION), names(cache.resolve("gradio-frontend")), "Gradio frontends");
    Set<String> packages = installed(cache.resolve("venv/bin/python"));
    assertTrue(packages.contains("milvus-lite") && packages.contains("pymilvus"), "Milvus Lite: " + packages);
    for (String testOnly : List.of("gradio-client", "gradio", "playwright", "torch", "open-clip-torch", "pillow")) {
      assertFalse(packages.contains(testOnly), testOnly + " in the serving venv: " + packages);
    }
    assertTrue(Files.isRegularFile(repo.resolve("ui/dist/index.html")), "the page is built");
    assertFalse(Files.exists(repo.resolve("ui/node_modules")), "ui/'s npm packages are for the browser tests only");
    for (String step : List.of("installing Milvus Lite", "fetching the CLIP BPE vocabulary", "Gradio " + ConfigBuilder.VERSION
        + "'s frontend", "packaging target/clip-search.jar")) {
      assertTrue(first.contains(step), "a long step says what it does first: '" + step + "' missing from\n" + first);
    }

    Files.delete(calls);
    String second = run(repo, bin, calls, "--model", model, "--images", images.toString(), "--port", "0");
    assertFalse(second.contains("installing") || second.contains("fetching"), "a second run installs nothing:\n" + second);
  }

  /** Copies what {@code git ls-files} lists (tracked, and untracked but not ignored), keeping the executable bits. */
  private static Path cleanCopy(Path dest) throws IOException, InterruptedException {
    Process git = new ProcessBuilder("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String listing = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, git.waitFor(), "git ls-files");
    // distinct: during a merge, a conflicted file is listed once per stage.
    for (String name : new java.util.LinkedHashSet<>(List.of(listing.split("\0")))) {
      Path source = Path.of(name);
      if (name.isEmpty() || !Files.isRegularFile(source)) {
        continue; // deleted in the working tree but not yet in the index
      }
      Path target = dest.resolve(name);
      Files.createDirectories(target.getParent());
      Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
    }
    return dest;
  }

  /** The stand-ins, each appending "TOOL ARGS..." to {@code calls}. */
  private static Path standIns(Path bin, Path calls) throws IOException, InterruptedException {
    Files.createDirectories(bin);
    String record = "#!/bin/sh\nprintf '%s\\n' \"$(basename \"$0\") $*\" >> '" + calls + "'\n";
    for (String tool : TEST_ONLY) {
      script(bin.resolve(tool), record + "echo \"stand-in: $(basename \"$0\") is test-only\" >&2\nexit 97\n");
    }
    for (String tool : PASS_THROUGH) {
      script(bin.resolve(tool), record + "exec '" + realPath(tool) + "' \"$@\"\n");
    }
    script(bin.resolve("mvn"), record + "mkdir -p target && : > target/clip-search.jar\n");
    script(bin.resolve("java"), record);
    return bin;
  }

  private static void script(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private static String realPath(String tool) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("bash", "-c", "command -v " + tool).start();
    String path = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertEquals(0, p.waitFor(), tool + " is not installed on this machine");
    return path;
  }

  /** Runs run.sh in the copy with the stand-ins first on PATH; requires exit 0; returns its output. */
  private static String run(Path repo, Path bin, Path calls, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("bash", "src/scripts/run.sh"));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(repo.getParent(), "run", ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(repo.toFile()).redirectErrorStream(true)
        .redirectOutput(out.toFile());
    pb.environment().put("PATH", bin + ":" + pb.environment().get("PATH"));
    pb.environment().keySet().removeIf(k -> k.startsWith("CLIPSRV_") || k.equals("GRADIO_FRONTEND_VERSIONS") || k.equals("JAVA_OPTS"));
    Process p = pb.start();
    boolean finished = p.waitFor(15, TimeUnit.MINUTES);
    if (!finished) {
      p.destroyForcibly();
    }
    String text = Files.readString(out, StandardCharsets.UTF_8);
    assertTrue(finished, "run.sh did not finish in 15 minutes:\n" + text);
    assertEquals(0, p.exitValue(), "run.sh failed; calls: " + (Files.exists(calls) ? Files.readString(calls) : "none")
        + "\n" + text);
    return text;
  }

  private static Set<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
    }
  }

  /** The distributions installed in a venv, by their normalised names. */
  private static Set<String> installed(Path python) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(python.toString(), "-c",
        "import importlib.metadata as m, re\n"
            + "for d in m.distributions(): print(re.sub(r'[-_.]+', '-', d.metadata['Name']).lower())")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    return Stream.of(out.strip().split("\\s+")).collect(Collectors.toCollection(TreeSet::new));
  }
}
