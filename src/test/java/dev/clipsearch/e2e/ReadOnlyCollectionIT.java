package dev.clipsearch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipsearch.model.ModelSpec;
import dev.clipsearch.testing.CompatClients;
import dev.clipsearch.testing.RandomVectors;
import dev.clipsearch.testing.SharedData;
import dev.clipsearch.testing.StoreTarget;
import dev.clipsearch.testing.TutorialCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A collection made by other code that clip-search can search but not extend (keys of its own, no dynamic field),
 * through the shipped jar on the Milvus Lite directory pymilvus made: {@code ingest} refuses at once with a one-line
 * reason and exit 1, {@code stats} describes it by its own fields and metric, and a served instance answers an upload
 * with 409 and the reason (the real gradio_client raises it as AppError), and its {@code --images} ingest stops with
 * the reason on /readyz, while search and /readyz keep working.
 */
class ReadOnlyCollectionIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String REFUSAL = "collection their_schema is read-only for clip-search: its primary key 'pk' "
      + "is not auto_id, and clip-search does not invent keys. Searching it works; to add images, copy it into a "
      + "collection of clip-search's own: clip-search migrate --from their_schema --collection NEW_NAME";
  @TempDir Path tmp;

  @Test
  void ingestUploadsAndServeImagesAreRefusedWithTheReasonWhileSearchAndReadinessKeepWorking() throws Exception {
    Path model = SharedData.tinyClipModel();
    int dim = ModelSpec.forModel(model).embedDim();
    Path db = tmp.resolve("their.db");
    Path photos = Files.createDirectories(tmp.resolve("photos"));
    Random rnd = new Random(9);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Path file = Files.copy(SharedData.root().resolve(String.format("data/cifar10-test/dog/%04d.jpg", i)),
          photos.resolve(i + ".jpg"));
      rows.add(TutorialCode.row(RandomVectors.unit(rnd, dim), file.toString()));
    }
    Path newPhoto = Files.copy(SharedData.root().resolve("data/cifar10-test/ship/0000.jpg"),
        photos.resolve("new.jpg"));
    TutorialCode their = new TutorialCode(StoreTarget.LITE, db, Files.createDirectories(tmp.resolve("work")));
    their.create("their_schema", "custom", rows);
    JsonNode before = their.snapshot("their_schema", "custom");
    List<String> store = List.of("--milvus", db.toString(), "--collection", "their_schema", "--vector-field",
        "embedding", "--path-field", "path");
    List<String> withModel = Stream.concat(store.stream(), Stream.of("--model", model.toString(),
        "--adopt-collection", "--data-dir", tmp.resolve("data").toString())).toList();

    JarProcess.Result ingest = jar(180, "ingest", List.of(photos.toString()), withModel);
    assertEquals(1, ingest.exitCode(), ingest.stderr());
    assertEquals(List.of("error: " + REFUSAL), ingest.stderr().lines().filter(l -> l.startsWith("error: "))
        .toList(), ingest.stderr());
    assertEquals(1, ingest.stderr().split("is read-only for clip-search", -1).length - 1, "said once: "
        + ingest.stderr());
    assertFalse(ingest.stderr().contains("\tat "), "no stack trace: " + ingest.stderr());
    assertFalse(ingest.stderr().contains("ingest ["), "refused before embedding anything: " + ingest.stderr());
    assertEquals("", ingest.stdout());

    JarProcess.Result statsRun = jar(120, "stats", List.of(), store);
    assertEquals(0, statsRun.exitCode(), statsRun.stderr());
    JsonNode stats = JSON.readTree(statsRun.stdout());
    assertEquals(3, stats.get("rows").asInt(), stats.toString());
    assertEquals(dim, stats.get("dimension").asInt());
    assertEquals("other code", stats.get("layout").asText());
    assertEquals(JSON.readTree("{\"key\":\"pk\",\"vector\":\"embedding\",\"path\":\"path\",\"path_in\":\"schema\"}"),
        stats.get("fields"));
    assertEquals("L2", stats.get("index").get("metric").asText());
    assertEquals("HNSW", stats.get("index").get("type").asText());
    assertFalse(stats.get("writable").asBoolean());
    assertEquals("its primary key 'pk' is not auto_id, and clip-search does not invent keys",
        stats.get("read_only_because").asText());

    Process server = JarProcess.builder(tmp, Stream.concat(Stream.of("serve", "--port", "0", "--images",
        photos.toString()), withModel.stream())
        .toArray(String[]::new)).redirectErrorStream(true).start();
    try {
      String url = JarProcess.awaitUrl(server);
      JsonNode client = CompatClients.runForSummary(List.of(CompatClients.python(CompatClients.LATEST_PYTHON)
          .toString(), "-c", String.join("\n",
          "import json, sys, time, httpx",
          "from gradio_client import Client, handle_file",
          "from gradio_client.exceptions import AppError",
          "url, png = sys.argv[1].rstrip('/'), sys.argv[2]",
          "c = Client(url, verbose=False)",
          "out = {'hits': len(c.predict('a photo of a dog', 2, api_name='/search'))}",
          "try:",
          "    out['ingest'] = c.predict(handle_file(png), 'a ship', api_name='/ingest')",
          "except AppError as e:",
          "    out['app_error'] = str(e)",
          "with open(png, 'rb') as f:",
          "    up = httpx.post(url + '/gradio_api/upload', files={'files': ('new.jpg', f)}).json()[0]",
          "r = httpx.post(url + '/gradio_api/run/ingest', json={'data': [{'path': up}, '']}, timeout=60)",
          "out['run_status'], out['run_body'] = r.status_code, r.json()",
          "for _ in range(600):",
          "    ready = httpx.get(url + '/readyz')",
          "    if ready.json()['ingest']['state'] not in ('scanning', 'running'):",
          "        break",
          "    time.sleep(0.1)",
          "out['ready_status'], out['background'] = ready.status_code, ready.json()['ingest']",
          "out['hits_after'] = len(c.predict('a photo of a dog', 2, api_name='/search'))",
          "print(json.dumps(out))"), url, newPhoto.toString()), tmp, 180);
      assertEquals(2, client.get("hits").asInt(), client.toString());
      assertEquals(REFUSAL, client.path("app_error").asText(), client.toString());
      assertEquals(409, client.get("run_status").asInt(), client.toString());
      assertEquals(REFUSAL, client.get("run_body").get("error").asText());
      assertEquals(200, client.get("ready_status").asInt(), "the store is not down");
      assertEquals("failed", client.get("background").get("state").asText(), client.toString());
      assertEquals(REFUSAL, client.get("background").get("error").asText(), "serve --images says why");
      assertEquals(0, client.get("background").get("done").asInt(), "refused before embedding anything");
      assertEquals(2, client.get("hits_after").asInt());
    } finally {
      server.destroy(); // SIGTERM: the web server stops, then Milvus Lite (which frees the directory)
      assertTrue(server.waitFor(60, TimeUnit.SECONDS), "server did not stop on SIGTERM");
    }
    assertEquals(before, their.snapshot("their_schema", "custom"), "nothing was written");
  }

  private JarProcess.Result jar(int timeoutSeconds, String command, List<String> args, List<String> options)
      throws Exception {
    return JarProcess.run(tmp, timeoutSeconds, Stream.of(List.of(command), args, options).flatMap(List::stream)
        .toArray(String[]::new));
  }
}
