package dev.clipsearch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.model.image.DecoderChoice;
import dev.clipsearch.model.runtime.ComputeDevice.Precision;
import dev.clipsearch.model.runtime.DeviceRequest;
import dev.clipsearch.model.runtime.ImageTransfer;
import dev.clipsearch.store.StoreOptions.IndexKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path tmp;

  private Path file(String text) throws Exception {
    return Files.writeString(tmp.resolve("clip-search.properties"), text);
  }

  private static ServerConfig load(Map<Setting<?>, String> flags, Map<String, String> env) {
    return ConfigLoader.load(flags, env);
  }

  @Test
  void defaultsSuitATwoCoreBox() {
    ServerConfig c = load(Map.of(), Map.of());
    assertEquals(new ServerConfig.Batching(32, 2000, 1024), c.textBatch());
    assertEquals(new ServerConfig.Batching(16, 5000, 1024), c.imageBatch());
    // precision auto and 0 threads: chosen and sized per machine at start (CpuPrecisionPolicy, ThreadPlan)
    assertEquals(new ServerConfig.Engine(2, ImageTransfer.FLOAT32, 0, 32, 8, 60, DecoderChoice.NATIVE), c.engine());
    assertEquals(new ServerConfig.Model(DeviceRequest.AUTO, Precision.AUTO, 0, 4096), c.runtime());
    assertEquals(Runtime.getRuntime().availableProcessors(), c.runtime().decodeThreads(), "0 threads: a decoder per core");
    assertEquals(32L << 20, c.web().maxUploadBytes());
    assertEquals(7860, c.web().port());
    Path home = Path.of("").toAbsolutePath();
    assertEquals(home.resolve("data"), c.dataDir());
    assertEquals(home.resolve("data/milvus").toString(), c.store().uri());
  }

  @Test
  void flagsWinOverTheEnvironmentWhichWinsOverTheFileWhichWinsOverDefaults() throws Exception {
    Path f = file("# settings\nmax_batch_image = 32\nCLIPSRV_COLLECTION=photos\nqueue-capacity: 64\nDEVICE=cpu\n");
    ServerConfig c = load(Map.of(Settings.CONFIG, f.toString(), Settings.DEVICE, "cuda:1"),
        Map.of("CLIPSRV_COLLECTION", "from_env", "CLIPSRV_REQUEST_WORKERS", "4"));
    assertEquals(32, c.imageBatch().maxBatch(), "from the file");
    assertEquals(64, c.imageBatch().queueCapacity(), "from the file, a flag-style key");
    assertEquals("from_env", c.store().collection(), "the environment wins over the file");
    assertEquals(new DeviceRequest(DeviceRequest.Choice.CUDA, 1), c.runtime().device(), "the flag wins over the file");
    assertEquals(4, c.engine().requestWorkers());
    assertEquals(Precision.AUTO, c.runtime().precision(), "unset everywhere: the default");
  }

  @Test
  void gradiosServerVariablesAreReadAsGradioDoesBelowEverythingSaidToClipSearch() throws Exception {
    Map<String, String> gradio = Map.of("GRADIO_SERVER_PORT", "9001", "GRADIO_SERVER_NAME", "0.0.0.0");
    ServerConfig c = load(Map.of(), gradio);
    assertEquals(9001, c.web().port());
    assertEquals("0.0.0.0", c.web().host());
    assertEquals(9002, load(Map.of(Settings.PORT, "9002"), gradio).web().port(), "--port wins");
    Map<String, String> both = new java.util.HashMap<>(gradio);
    both.put("CLIPSRV_PORT", "9003");
    assertEquals(9003, load(Map.of(), both).web().port(), "CLIPSRV_PORT wins");
    Path f = file("port = 9004\n");
    assertEquals(9004, load(Map.of(Settings.CONFIG, f.toString()), gradio).web().port(), "the settings file wins");
    assertTrue(ConfigLoader.unknownEnvironment(gradio).isEmpty(), "not warned about");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> load(Map.of(), Map.of("GRADIO_SERVER_PORT", "http")));
    assertTrue(e.getMessage().contains("GRADIO_SERVER_PORT"), "a bad value names the variable: " + e.getMessage());
  }

  @Test
  void theFileCanBeNamedByTheEnvironment() throws Exception {
    Path f = file("device=cpu\n");
    assertEquals(DeviceRequest.CPU, load(Map.of(), Map.of("CLIPSRV_CONFIG", f.toString())).runtime().device());
  }

  @Test
  void anUnknownFileSettingIsAnErrorNotASilentDefault() throws Exception {
    Path f = file("max_bach_image = 32\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> load(Map.of(Settings.CONFIG, f.toString()), Map.of()));
    assertTrue(e.getMessage().contains("unknown setting 'max_bach_image'") && e.getMessage().contains("MAX_BATCH_IMAGE"),
        e.getMessage());
  }

  @Test
  void environmentOnlySettingsAreNotFileKeys() throws Exception {
    Path f = file("log_format = json\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> load(Map.of(Settings.CONFIG, f.toString()), Map.of()));
    assertTrue(e.getMessage().contains("unknown setting 'log_format'"), e.getMessage());
  }

  @Test
  void aMissingFileIsAClearError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> load(Map.of(Settings.CONFIG, tmp.resolve("nope.properties").toString()), Map.of()));
    assertTrue(e.getMessage().startsWith("cannot read the settings file"), e.getMessage());
  }

  @Test
  void unknownClipsrvVariablesAreFoundAndOthersIgnored() {
    Map<String, String> env = Map.of("CLIPSRV_MAX_BACH_IMAGE", "8", "CLIPSRV_LOG_FORMAT", "json", "CLIPSRV_BATCH", "8",
        "PATH", "/bin", "CLIPSRV_HOME", "/opt/clip");
    assertEquals(Set.of("CLIPSRV_MAX_BACH_IMAGE"), ConfigLoader.unknownEnvironment(env));
    assertEquals(8, load(Map.of(), env).imageBatch().maxBatch(), "a warning, not an error: the rest still loads");
  }

  @Test
  void everyBadValueIsListedInOneErrorWithTheNameThatGaveIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> load(
        Map.of(Settings.MAX_BATCH_TEXT, "0", Settings.BATCHES_IN_FLIGHT, "3", Settings.IMAGE_TRANSFER, "fp8",
            Settings.DEVICE, "tpu"),
        Map.of("CLIPSRV_TORCH_THREADS", "none", "CLIPSRV_QUEUE_CAPACITY", "0", "CLIPSRV_METRICS_LOG_S", "-1",
            "CLIPSRV_CORS_ORIGINS", "https://ok.example.com,https://bad.example.com/path")));
    for (String expected : new String[] {"--max-batch-text: must be in 1..1024, got 0", "--batches-in-flight",
        "--image-transfer: must be one of float32|uint8, got 'fp8'", "--device: must be auto, cpu or cuda[:N]",
        "CLIPSRV_TORCH_THREADS: must be a whole number", "CLIPSRV_QUEUE_CAPACITY", "CLIPSRV_METRICS_LOG_S",
        "CLIPSRV_CORS_ORIGINS: must be scheme://host[:port], e.g. https://app.example.com, got 'https://bad.example.com/path'"}) {
      assertTrue(e.getMessage().contains(expected), expected + " missing from: " + e.getMessage());
    }
  }

  @Test
  void settingsThatDependOnEachOtherAreCheckedTogether() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> load(
        Map.of(Settings.API_TOKEN_ALL, "true", Settings.MAX_UPLOAD_MB, "64", Settings.UPLOAD_QUOTA_MB, "32"), Map.of()));
    assertTrue(e.getMessage().contains("--api-token-all needs --api-token"), e.getMessage());
    assertTrue(e.getMessage().contains("--upload-quota-mb must hold at least one upload"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> load(Map.of(Settings.API_TOKEN, "short"), Map.of()));
  }

  @Test
  void fractionalMaxDelayAppliesToBothTowersAndMicrosecondDelaysWinAtTheSameLevel() {
    ServerConfig c = load(Map.of(Settings.MAX_DELAY_MS, "0.5", Settings.BATCH_DELAY_US, "700"), Map.of());
    assertEquals(500, c.textBatch().maxDelayMicros());
    assertEquals(700, c.imageBatch().maxDelayMicros());
    ServerConfig env = load(Map.of(), Map.of("CLIPSRV_MAX_DELAY_MS", "1.25", "CLIPSRV_BATCH_DELAY_US", "300"));
    assertEquals(1250, env.textBatch().maxDelayMicros());
    assertEquals(300, env.imageBatch().maxDelayMicros());
  }

  @Test
  void aMaxDelayFlagWinsOverAMicrosecondVariable() {
    ServerConfig c = load(Map.of(Settings.MAX_DELAY_MS, "1"), Map.of("CLIPSRV_TEXT_BATCH_DELAY_US", "300"));
    assertEquals(1000, c.textBatch().maxDelayMicros());
  }

  @Test
  void legacyEnvironmentNamesStillWorkAndTheCurrentNameWins() {
    ServerConfig c = load(Map.of(), Map.of("CLIPSRV_TEXT_BATCH", "12", "CLIPSRV_BATCH", "6",
        "CLIPSRV_MAX_BATCH_IMAGE", "4"));
    assertEquals(12, c.textBatch().maxBatch());
    assertEquals(4, c.imageBatch().maxBatch());
  }

  @Test
  void enumsAreParsedOnceIntoTheirTypes() {
    ServerConfig c = load(Map.of(Settings.IMAGE_DECODER, "native-fast", Settings.PRECISION, "BF16",
        Settings.INDEX, "flat", Settings.CORS_ORIGINS, "https://a.example.com,https://b.example.com"), Map.of());
    assertEquals(DecoderChoice.NATIVE_FAST, c.engine().imageDecoder());
    assertEquals(Precision.BF16, c.runtime().precision());
    assertEquals(Precision.INT8, load(Map.of(Settings.PRECISION, "int8"), Map.of()).runtime().precision());
    assertEquals(IndexKind.FLAT, c.store().index());
    assertEquals(List.of("https://a.example.com", "https://b.example.com"), c.web().corsOrigins());
  }

  @Test
  void threadCountsAreZeroForPerPrecisionOrAtMost256() {
    ServerConfig c = load(Map.of(Settings.TORCH_THREADS, "3"), Map.of("CLIPSRV_THREADS", "4"));
    assertEquals(3, c.engine().torchThreads());
    assertEquals(4, c.runtime().blasThreads());
    assertEquals(4, c.runtime().decodeThreads(), "decoders follow an explicit thread count");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> load(Map.of(Settings.THREADS, "257", Settings.TORCH_THREADS, "-1"), Map.of()));
    for (String expected : new String[] {"--threads: must be in 0..256, got 257", "--torch-threads: must be in 0..256"}) {
      assertTrue(e.getMessage().contains(expected), expected + " missing from: " + e.getMessage());
    }
  }

  @Test
  void indexParametersEfAndDeadlinesAreSettings() {
    ServerConfig c = load(Map.of(Settings.HNSW_M, "32", Settings.HNSW_EF_CONSTRUCTION, "400"),
        Map.of("CLIPSRV_SEARCH_EF", "128", "CLIPSRV_MILVUS_DEADLINE_S", "3", "CLIPSRV_MILVUS_LOAD_DEADLINE_S", "60"));
    assertEquals(32, c.store().hnswM());
    assertEquals(400, c.store().hnswEfConstruction());
    assertEquals(128, c.store().searchEf());
    assertEquals(Duration.ofSeconds(3), c.store().rpcDeadline());
    assertEquals(Duration.ofSeconds(60), c.store().loadDeadline());
  }

  @Test
  void uiIsDefaultGradioOrAFolderAndATypoIsRefused() {
    assertEquals("default", load(Map.of(), Map.of()).web().ui(), "unset means the project's page");
    assertEquals("gradio", load(Map.of(Settings.UI, "gradio"), Map.of()).web().ui());
    assertEquals(tmp.toString(), load(Map.of(), Map.of("CLIPSRV_UI", tmp.toString())).web().ui());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> load(Map.of(Settings.UI, "gradoi"), Map.of()));
    assertTrue(e.getMessage().contains("--ui: must be default, gradio or the folder of a built page, got 'gradoi'"),
        e.getMessage());
  }

  @Test
  void theLoggedConfigurationRedactsSecrets() {
    String s = load(Map.of(Settings.API_TOKEN, "s3cret-token", Settings.MILVUS_TOKEN, "root:Milvus"), Map.of())
        .toString();
    assertTrue(!s.contains("s3cret-token") && !s.contains("root:Milvus"), s);
    assertTrue(s.contains("batchesInFlight=2") && s.contains("imageTransfer=FLOAT32"), s);
  }
}
