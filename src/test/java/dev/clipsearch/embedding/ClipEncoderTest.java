package dev.clipsearch.embedding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.batching.BatchPolicy;
import dev.clipsearch.batching.BatchStats;
import dev.clipsearch.model.ModelSpec;
import dev.clipsearch.model.Vectors;
import dev.clipsearch.model.image.DecoderChoice;
import dev.clipsearch.model.runtime.ClipModel;
import dev.clipsearch.model.runtime.ComputeDevice;
import dev.clipsearch.model.runtime.DeviceRequest;
import dev.clipsearch.model.runtime.DeviceSelector;
import dev.clipsearch.model.runtime.ImageTransfer;
import dev.clipsearch.model.runtime.StagingOptions;
import dev.clipsearch.model.text.Tokenizer;
import dev.clipsearch.testing.SharedData;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Concurrent requests through two-in-flight batchers (uint8 image transfer) give the vectors of one-at-a-time calls. */
class ClipEncoderTest {
  private static ClipModel model;
  private static ClipEncoder encoder;

  @BeforeAll
  static void load() throws Exception {
    Path file = SharedData.tinyClipModel();
    ComputeDevice device = DeviceSelector.select(DeviceRequest.CPU, ComputeDevice.Precision.FP32, 2, 1);
    model = ClipModel.load(file, ModelSpec.forModel(file), device, new StagingOptions(4, 8, 2, ImageTransfer.UINT8));
    encoder = new ClipEncoder(model, Tokenizer.load(),
        new EncoderOptions(new BatchPolicy(8, 3_000_000), new BatchPolicy(4, 3_000_000), 256, 2, 0, DecoderChoice.NATIVE), new SimpleMeterRegistry());
  }

  @AfterAll
  static void close() {
    encoder.close();
    model.close();
  }

  @Test
  void concurrentTextsOfMixedLengthsGetTheVectorsOfUnbatchedCalls() throws Exception {
    List<String> queries = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      queries.add(i % 3 == 0 ? "a dog " + i
          : i % 3 == 1 ? "a very long query about a red car parked near a lake number " + i : "cat " + i);
    }
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<float[]>> batched = new ArrayList<>();
      for (String q : queries) {
        batched.add(pool.submit(() -> encoder.encodeText(q)));
      }
      for (int i = 0; i < queries.size(); i++) {
        int[] ids = encoder.tokenize(queries.get(i));
        int length = model.spec().textLengthFor(ids.length);
        float[] alone = model.encodeTexts(Tokenizer.pad(ids, length), 1, length)[0];
        assertArrayEquals(alone, batched.get(i).get(), 1e-5f, queries.get(i));
      }
    } finally {
      pool.shutdownNow();
    }
    BatchStats.Snapshot text = encoder.metrics().get(0);
    assertEquals("text", text.name());
    assertEquals(40, text.items());
    assertTrue(text.batches() < 40, "16 concurrent callers should share batches: " + text.summary());
  }

  @Test
  void concurrentImagesGetTheVectorsOfUnbatchedCalls() {
    int chw = 3 * model.spec().imageSize() * model.spec().imageSize();
    Random r = new Random(3);
    List<float[]> images = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      float[] px = new float[chw];
      for (int j = 0; j < chw; j++) {
        int c = j / (chw / 3); // exact normalised bytes, as the preprocessor writes them
        px[j] = ((float) r.nextInt(256) / 255f - model.spec().mean()[c]) / model.spec().std()[c];
      }
      images.add(px);
    }
    List<CompletableFuture<float[]>> batched = new ArrayList<>();
    for (float[] px : images) {
      batched.add(encoder.submitPixels(px));
    }
    for (int i = 0; i < images.size(); i++) {
      float[] alone = model.encodeImages(images.get(i), 1)[0];
      double cos = Vectors.cosine(alone, ClipEncoder.await(batched.get(i)));
      assertTrue(cos > 0.99999, "image " + i + " cosine " + cos);
    }
    assertTrue(encoder.metrics().get(1).summary().startsWith("image: 12 items"), encoder.metrics().get(1).summary());
  }
}
