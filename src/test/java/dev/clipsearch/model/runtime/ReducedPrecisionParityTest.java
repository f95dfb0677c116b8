package dev.clipsearch.model.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipsearch.batching.BatchPolicy;
import dev.clipsearch.embedding.ClipEncoder;
import dev.clipsearch.model.ModelSpec;
import dev.clipsearch.model.Vectors;
import dev.clipsearch.model.runtime.ComputeDevice.Precision;
import dev.clipsearch.model.text.Tokenizer;
import dev.clipsearch.testing.Encoders;
import dev.clipsearch.testing.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each reduced precision this CPU runs natively keeps the random-weight ViT-B/32's vectors (the committed reduced
 * parity fixture, models/make_parity_fixtures.py) within cosine 0.999 of fp32, through the whole Java pipeline: the
 * short-text path, the full 77 tokens, and real photos through decode and preprocessing. A precision the CPU would
 * only emulate is skipped with the reason, never run.
 */
class ReducedPrecisionParityTest {
  private static final Path FIXTURES = Path.of("src/test/resources/fixtures/model");

  @ParameterizedTest
  @EnumSource(value = Precision.class, names = {"BF16", "INT8"})
  void vectorsStayWithinTheQualityGateOfFp32(Precision precision) throws Exception {
    CpuFeatures cpu = DeviceSelector.cpu();
    assumeTrue(precision == Precision.BF16 ? cpu.bf16Native() : cpu.int8Native(), precision.label()
        + " skipped: this CPU (" + cpu + ") cannot run it natively (bf16 needs amx_bf16 or avx512_bf16, int8 avx2)");
    JsonNode golden = new ObjectMapper().readTree(FIXTURES.resolve("golden.json").toFile());
    Path file = FIXTURES.resolve("clip.pt");
    double worst = 1;
    double maxDiff = 0;
    try (Pipeline fp32 = new Pipeline(file, Precision.FP32); Pipeline reduced = new Pipeline(file, precision)) {
      assertEquals(precision, reduced.model.device().precision(), reduced.model.device().precisionReason());
      for (JsonNode t : golden.get("texts")) {
        int[] ids = fp32.encoder.tokenize(t.get("text").asText());
        for (int length : new int[] {fp32.model.spec().textLengthFor(ids.length), fp32.model.spec().contextLength()}) {
          float[] reference = fp32.text(ids, length);
          float[] got = reduced.text(ids, length);
          double cos = Vectors.cosine(reference, got);
          worst = Math.min(worst, cos);
          maxDiff = Math.max(maxDiff, maxAbsDiff(reference, got));
          assertTrue(cos >= CpuPrecisionPolicy.MIN_COSINE, precision.label() + " cosine " + cos + " for \""
              + t.get("text").asText() + "\" at length " + length);
        }
      }
      for (JsonNode img : golden.get("images")) {
        byte[] bytes = Files.readAllBytes(SharedData.root().resolve(img.get("path").asText()));
        float[] reference = fp32.encoder.encodeImage(bytes);
        float[] got = reduced.encoder.encodeImage(bytes);
        double cos = Vectors.cosine(reference, got);
        worst = Math.min(worst, cos);
        maxDiff = Math.max(maxDiff, maxAbsDiff(reference, got));
        assertTrue(cos >= CpuPrecisionPolicy.MIN_COSINE, precision.label() + " cosine " + cos + " for " + img.get("path").asText());
      }
    }
    System.out.printf("%s vs fp32, random-weight ViT-B/32 (reduced): min cosine %.7f, max |diff| %.2e%n", precision.label(),
        worst, maxDiff);
    assertTrue(maxDiff > 1e-6, precision.label() + " gave fp32's vectors exactly: the reduced precision did not run");
  }

  private static double maxAbsDiff(float[] a, float[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }

  /** A model in one precision with its encoder (tokenizer, image decode and preprocessing). */
  private static final class Pipeline implements AutoCloseable {
    final ClipModel model;
    final ClipEncoder encoder;

    Pipeline(Path file, Precision precision) throws java.io.IOException {
      model = ClipModel.load(file, ModelSpec.forModel(file), DeviceSelector.select(DeviceRequest.CPU, precision, 0, 0),
          4);
      encoder = Encoders.of(model, new BatchPolicy(4, 0), new BatchPolicy(4, 0), 16, 0);
    }

    float[] text(int[] ids, int length) {
      return model.encodeTexts(Tokenizer.pad(ids, length), 1, length)[0];
    }

    @Override
    public void close() {
      encoder.close();
      model.close();
    }
  }
}
