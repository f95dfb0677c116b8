package dev.clipsearch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipsearch.testing.CompatClients;
import dev.clipsearch.testing.SharedData;
import dev.clipsearch.testing.StoreTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reference tutorial's flow with the shipped jar and real parts: ingest 5,000 CIFAR-10 test photos (500 per
 * class) with ../shared/models/cifar-tiny-clip.pt into an embedded Milvus Lite, search "a photo of a dog", embed,
 * and serve to the real Python gradio_client. The steps share one data directory, so they run in order.
 * {@link EndToEndServerIT} runs them with the vectors on a Milvus standalone.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndToEndIT {
  private static final int PER_CLASS = 500;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path work;
  private static Path images;
  private static String model;

  @BeforeAll
  static void linkSubset() throws IOException {
    model = SharedData.tinyClipModel().toString();
    images = work.resolve("cifar");
    try (Stream<Path> classes = Files.list(SharedData.root().resolve("data/cifar10-test"))) {
      for (Path cls : classes.sorted().toList()) {
        Path dir = Files.createDirectories(images.resolve(cls.getFileName().toString()));
        try (Stream<Path> files = Files.list(cls)) {
          for (Path f : files.sorted().limit(PER_CLASS).toList()) {
            Files.createSymbolicLink(dir.resolve(f.getFileName()), f);
          }
        }
      }
    }
  }

  StoreTarget target() {
    return StoreTarget.LITE;
  }

  /** The flags that put the vectors on the target (and the uploads in the data directory). */
  List<String> storeArgs() {
    return Stream.concat(Stream.of("--model", model, "--data-dir", work.resolve("data").toString()),
        target().cliArgs(work.resolve("data/milvus"), "e2e").stream()).toList();
  }

  private JarProcess.Result jar(String... args) throws Exception {
    return JarProcess.run(work, 600, Stream.concat(Stream.of(args), storeArgs().stream()).toArray(String[]::new));
  }

  @Test
  @Order(1)
  void ingestStoresEveryImageAndPrintsASummary() throws Exception {
    JarProcess.Result r = jar("ingest", images.toString());
    assertEquals(0, r.exitCode(), r.stderr());
    JsonNode summary = JSON.readTree(r.stdout());
    assertEquals(10 * PER_CLASS, summary.get("inserted").asInt(), r.stdout());
    assertEquals(0, summary.get("failed").size(), r.stdout());
    assertTrue(r.stderr().contains("ingest ["), "progress goes to stderr");
  }

  @Test
  @Order(2)
  void aSecondIngestSkipsWhatIsStored() throws Exception {
    JarProcess.Result r = jar("ingest", images.toString());
    assertEquals(0, r.exitCode(), r.stderr());
    JsonNode summary = JSON.readTree(r.stdout());
    assertEquals(0, summary.get("inserted").asInt());
    assertEquals(10 * PER_CLASS, summary.get("skipped").asInt());
  }

  @Test
  @Order(3)
  void searchForADogReturnsDogsFirst() throws Exception {
    JarProcess.Result r = jar("search", "a photo of a dog", "-k", "10");
    assertEquals(0, r.exitCode(), r.stderr());
    JsonNode hits = JSON.readTree(r.stdout());
    assertEquals(10, hits.size());
    int dogs = 0;
    double previous = Double.MAX_VALUE;
    for (JsonNode hit : hits) {
      dogs += hit.get("path").asText().contains("/dog/") ? 1 : 0;
      assertTrue(hit.get("score").asDouble() <= previous, "best first");
      previous = hit.get("score").asDouble();
    }
    assertTrue(dogs >= 9, "P@10 for \"a photo of a dog\" is " + dogs / 10.0 + ": " + hits);
  }

  @Test
  @Order(4)
  void embedPrintsTokenIdsAndUnitVectors() throws Exception {
    Path photo = SharedData.root().resolve("data/cifar10-test/dog/0000.jpg");
    // embed loads no store, so it takes the model and no store flags.
    JarProcess.Result r = JarProcess.run(work, 600, "embed", "--text", "a photo of a dog", "--image",
        photo.toString(), "--model", model);
    assertEquals(0, r.exitCode(), r.stderr());
    List<String> lines = r.stdout().lines().toList();
    assertEquals(2, lines.size());
    JsonNode text = JSON.readTree(lines.get(0));
    assertEquals("[49406,320,1125,539,320,1929,49407]", text.get("tokens").toString());
    for (String line : lines) {
      double norm = 0;
      for (JsonNode x : JSON.readTree(line).get("vector")) {
        norm += x.asDouble() * x.asDouble();
      }
      assertEquals(1.0, norm, 1e-4);
    }
  }

  @Test
  @Order(5)
  void anEmptyQueryFailsWithAClearMessage() throws Exception {
    JarProcess.Result r = jar("search", "  ");
    assertEquals(1, r.exitCode());
    assertTrue(r.stderr().contains("error: Please enter a search query."), r.stderr());
  }

  @Test
  @Order(6)
  void servedSearchWorksFromThePythonGradioClientAndShutdownStopsMilvusLite() throws Exception {
    Process server = JarProcess.builder(work, Stream.concat(Stream.of("serve", "--port", "0"),
        storeArgs().stream()).toArray(String[]::new)).redirectErrorStream(true).start();
    try {
      String url = JarProcess.awaitUrl(server);
      Path python = CompatClients.python(CompatClients.LATEST_PYTHON);
      Process client = new ProcessBuilder(python.toString(), "-c", String.join("\n",
          "import json, os, sys",
          "from gradio_client import Client",
          "r = Client(sys.argv[1], verbose=False).predict('a photo of a dog', 10, api_name='/search')",
          "print(json.dumps([{'file': x['image'], 'exists': os.path.isfile(x['image']), 'caption': x['caption']} for x in r]))"),
          url).redirectErrorStream(true).start();
      String out = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(client.waitFor(120, TimeUnit.SECONDS));
      assertEquals(0, client.exitValue(), out);
      JsonNode gallery = JSON.readTree(out.lines().reduce((a, b) -> b).orElseThrow());
      assertEquals(10, gallery.size());
      for (JsonNode item : gallery) {
        assertTrue(item.get("exists").asBoolean(), "gradio_client downloaded " + item);
        assertTrue(item.get("caption").asText().endsWith(".jpg · " + item.get("caption").asText().split(" · ")[1]));
      }
    } finally {
      server.destroy(); // SIGTERM: the shutdown hook stops the web server, then Milvus Lite
      assertTrue(server.waitFor(60, TimeUnit.SECONDS), "server did not stop on SIGTERM");
    }
    assertTrue(ProcessHandle.allProcesses().noneMatch(p -> p.info().commandLine().orElse("")
        .contains(work.resolve("data").toString()) && p.info().commandLine().orElse("").contains("lite_launcher")),
        "Milvus Lite child must stop with the server");
  }

  @Test
  @Order(7)
  void anotherModelIsRefusedWithTheNameOfTheModelThatMadeTheCollection() throws Exception {
    Path other = Path.of("src/test/resources/fixtures/model/clip.pt").toAbsolutePath(); // 512-d as well
    List<String> args = new java.util.ArrayList<>(List.of("search", "a photo of a dog"));
    args.addAll(storeArgs());
    args.set(args.indexOf("--model") + 1, other.toString());
    JarProcess.Result r = JarProcess.run(work, 600, args.toArray(String[]::new));
    assertEquals(1, r.exitCode(), r.stderr());
    assertTrue(r.stderr().contains("error: collection e2e holds vectors of the model cifar-tiny-clip (sha256 "),
        r.stderr());
    assertTrue(r.stderr().contains("but the model in use is ViT-B-32-reduced-random (sha256 "), r.stderr());
    assertTrue(r.stderr().contains("--collection NEW_NAME, then ingest your folders again"), r.stderr());
    assertTrue(!r.stderr().contains("\tat "), "no stack trace: " + r.stderr());
  }
}
