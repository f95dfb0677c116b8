package dev.clipsearch.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipsearch.store.LiteLauncher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Milvus tutorial's own Python calls (src/test/python/tutorial_collection.py, pymilvus from src/scripts/setup.sh)
 * against a store target: they make the collections clip-search must serve, and give the reference searches and
 * snapshots. On Milvus Lite they open the data directory as the tutorial does ({@code MilvusClient("x.db")}), so the
 * clip-search store on that directory must be closed while they run (Lite locks it).
 */
public final class TutorialCode {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final StoreTarget target;
  private final Path liteDir;
  private final Path work;

  /** @param liteDir the Lite data directory (LITE only); its name must end in .db, as pymilvus requires */
  public TutorialCode(StoreTarget target, Path liteDir, Path work) {
    this.target = target;
    this.liteDir = liteDir;
    this.work = work;
  }

  /** A row as the tutorial inserts it. */
  public static Map<String, Object> row(float[] vector, String filepath) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("vector", vector);
    m.put("filepath", filepath);
    return m;
  }

  /** Makes {@code collection} in {@code layout} (tutorial or custom, the latter with L2) and inserts the rows. */
  public void create(String collection, String layout, List<Map<String, Object>> rows) {
    create(collection, layout, "L2", rows);
  }

  /** As {@link #create(String, String, List)}; a custom layout's index ranks by {@code metric} (L2, IP, COSINE). */
  public void create(String collection, String layout, String metric, List<Map<String, Object>> rows) {
    Path file = write("rows-" + collection + ".json", rows);
    run("create", collection, layout, "--rows", file.toString(), "--metric", metric);
  }

  /** The tutorial's {@code client.search(..., limit=k, output_fields=["filepath"])} for each query vector. */
  public JsonNode search(String collection, String layout, List<float[]> queries, int k) {
    Path file = write("queries-" + collection + ".json", queries);
    return run("search", collection, layout, "--queries", file.toString(), "--k", Integer.toString(k));
  }

  /** {"count": N, "sha256": ...} over every row (key, path, vector), ordered by key. */
  public JsonNode snapshot(String collection, String layout) {
    return run("snapshot", collection, layout);
  }

  private Path write(String name, Object value) {
    try {
      Path file = work.resolve(name);
      JSON.writeValue(file.toFile(), value);
      return file;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private JsonNode run(String command, String collection, String layout, String... more) {
    Path repo = Path.of("").toAbsolutePath();
    List<String> cmd = new ArrayList<>(List.of(LiteLauncher.defaultPython(repo, System.getenv()),
        repo.resolve("src/test/python/tutorial_collection.py").toString(), command, "--collection", collection,
        "--layout", layout));
    if (target == StoreTarget.LITE) {
      cmd.addAll(List.of("--uri", liteDir.toString()));
    } else {
      cmd.addAll(List.of("--uri", MilvusStandalone.shared().uri(), "--token", MilvusStandalone.ROOT_TOKEN));
    }
    cmd.addAll(List.of(more));
    try {
      Path err = Files.createTempFile(work, "tutorial-", ".log");
      Path out = Files.createTempFile(work, "tutorial-", ".json");
      Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).redirectOutput(out.toFile()).start();
      if (!p.waitFor(180, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException("the tutorial's code failed (" + String.join(" ", cmd) + "):\n"
            + Files.readString(err));
      }
      return JSON.readTree(Files.readString(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot run the tutorial's code: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
