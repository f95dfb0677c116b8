package dev.clipsearch.model.runtime;

import static dev.clipsearch.testing.JsonArrays.floats;
import static dev.clipsearch.testing.JsonArrays.ints;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipsearch.batching.BatchPolicy;
import dev.clipsearch.embedding.ClipEncoder;
import dev.clipsearch.model.ModelSpec;
import dev.clipsearch.model.Vectors;
import dev.clipsearch.model.text.Tokenizer;
import dev.clipsearch.testing.Encoders;
import dev.clipsearch.testing.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole Java pipeline (tokenizer, decode + preprocess, LibTorch) against open_clip's own outputs for the same
 * random-weight ViT-B/32 (reduced by default; {@code -Dparity.dir=DIR} checks a full-size export the same way).
 * Fixtures: models/make_parity_fixtures.py.
 */
class ClipModelParityTest {
  private static final double MIN_COSINE = 0.9999;
  private static ClipModel model;
  private static ClipEncoder encoder;
  private static JsonNode golden;

  @BeforeAll
  static void load() throws Exception {
    String dir = System.getProperty("parity.dir");
    Path fixtures = dir != null ? Path.of(dir) : Path.of("src/test/resources/fixtures/model");
    golden = new ObjectMapper().readTree(fixtures.resolve("golden.json").toFile());
    Path file = fixtures.resolve("clip.pt");
    ComputeDevice device = DeviceSelector.select(DeviceRequest.CPU, ComputeDevice.Precision.FP32, 2, 1);
    model = ClipModel.load(file, ModelSpec.forModel(file), device, 4);
    encoder = Encoders.of(model, new BatchPolicy(4, 0), new BatchPolicy(4, 0), 16, 0);
  }

  @AfterAll
  static void close() {
    encoder.close();
    model.close();
  }

  @Test
  void tokenIdsEqualOpenClips() {
    for (JsonNode t : golden.get("texts")) {
      int[] expected = ints(t.get("ids"));
      assertArrayEquals(expected, encoder.tokenize(t.get("text").asText()), "ids of \"" + t.get("text").asText() + "\"");
    }
  }

  @Test
  void textVectorsMatchOpenClipsThroughTheShortTextPath() {
    double worst = 1;
    for (JsonNode t : golden.get("texts")) {
      String text = t.get("text").asText();
      int[] ids = encoder.tokenize(text);
      int length = model.spec().textLengthFor(ids.length);
      float[] java = model.encodeTexts(Tokenizer.pad(ids, length), 1, length)[0];
      double cos = Vectors.cosine(java, floats(t.get("vector")));
      worst = Math.min(worst, cos);
      assertTrue(cos >= MIN_COSINE, "cosine " + cos + " for \"" + text + "\" at length " + length);
    }
    System.out.printf("text cosine to open_clip: min %.8f over %d texts%n", worst, golden.get("texts").size());
  }

  @Test
  void shortTextInputGivesTheSameVectorAsTheFull77Tokens() {
    for (JsonNode t : golden.get("texts")) {
      int[] ids = encoder.tokenize(t.get("text").asText());
      int length = model.spec().textLengthFor(ids.length);
      float[] short_ = model.encodeTexts(Tokenizer.pad(ids, length), 1, length)[0];
      float[] full = model.encodeTexts(Tokenizer.pad(ids, 77), 1, 77)[0];
      double maxDiff = 0;
      for (int i = 0; i < full.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(full[i] - short_[i]));
      }
      assertTrue(maxDiff < 1e-5, "max |diff| " + maxDiff + " between length " + length + " and 77");
    }
  }

  @Test
  void imageVectorsMatchOpenClipsForRealPhotos() throws Exception {
    double worst = 1;
    for (JsonNode img : golden.get("images")) {
      byte[] bytes = Files.readAllBytes(SharedData.root().resolve(img.get("path").asText()));
      double cos = Vectors.cosine(encoder.encodeImage(bytes), floats(img.get("vector")));
      worst = Math.min(worst, cos);
      assertTrue(cos >= MIN_COSINE, "cosine " + cos + " for " + img.get("path").asText());
    }
    System.out.printf("image cosine to open_clip: min %.8f over %d photos%n", worst, golden.get("images").size());
  }
}
