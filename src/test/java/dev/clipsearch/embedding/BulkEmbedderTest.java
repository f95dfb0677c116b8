package dev.clipsearch.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.batching.BatchPolicy;
import dev.clipsearch.model.ModelSpec;
import dev.clipsearch.model.image.DecoderChoice;
import dev.clipsearch.model.runtime.ClipModel;
import dev.clipsearch.model.runtime.ComputeDevice;
import dev.clipsearch.model.runtime.DeviceRequest;
import dev.clipsearch.model.runtime.DeviceSelector;
import dev.clipsearch.model.runtime.StagingOptions;
import dev.clipsearch.model.text.Tokenizer;
import dev.clipsearch.testing.SharedData;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bulk pipeline with the tiny model on real CIFAR photos: overlap with a slow sink, and one result per path. */
class BulkEmbedderTest {
  private static final int IMAGES = 300;
  private static ClipModel model;
  private static ClipEncoder encoder;
  private static List<Path> photos;

  @BeforeAll
  static void load() throws Exception {
    Path file = SharedData.tinyClipModel();
    ComputeDevice device = DeviceSelector.select(DeviceRequest.CPU, ComputeDevice.Precision.FP32, 2, 1);
    model = ClipModel.load(file, ModelSpec.forModel(file), device, StagingOptions.of(16));
    encoder = new ClipEncoder(model, Tokenizer.load(),
        new EncoderOptions(new BatchPolicy(16, 2_000_000), new BatchPolicy(16, 2_000_000), 256, 2, 0, DecoderChoice.NATIVE), new SimpleMeterRegistry());
    try (Stream<Path> s = Files.walk(SharedData.root().resolve("data/cifar10-test"))) {
      photos = s.filter(p -> p.toString().endsWith(".jpg")).sorted().limit(IMAGES).toList();
    }
  }

  @AfterAll
  static void close() {
    encoder.close();
    model.close();
  }

  /** What a Milvus write of a whole chunk does to the pipeline: the sink blocks, decoding must not. */
  @Test
  void decodingAndEncodingGoOnWhileTheSinkIsBusy() throws Exception {
    AtomicInteger read = new AtomicInteger();
    BulkEmbedder.Inspector<Void> counting = new BulkEmbedder.Inspector<>() {
      @Override
      public Void inspect(Path path, byte[] bytes) {
        read.incrementAndGet();
        return null;
      }

      @Override
      public boolean needsVector(Path path, Void facts) {
        return true;
      }
    };
    int inFlightLimit = 2 * 16;
    int[] readWhileBlocked = {-1};
    Set<Path> seen = new HashSet<>();
    new BulkEmbedder(encoder, 2).embed(photos, counting, r -> {
      assertTrue(r.ok(), r.error());
      assertEquals(model.spec().embedDim(), r.vector().length);
      assertTrue(seen.add(r.path()), "one result per path");
      if (readWhileBlocked[0] < 0) {
        readWhileBlocked[0] = blockUntilRead(read, 2 * inFlightLimit + 1);
      }
    }, () -> false);
    assertEquals(IMAGES, seen.size());
    assertTrue(readWhileBlocked[0] > 2 * inFlightLimit, "while the sink held its first result, only "
        + readWhileBlocked[0] + " files were read: the pipeline stalls behind a busy sink");
  }

  /**
   * Blocks like a slow write until {@code target} files have been read, or 20 s passed (a stalled pipeline). Waiting
   * for a count, not for the reader to go quiet, keeps a slow first batch on a loaded machine from ending the wait.
   */
  private static int blockUntilRead(AtomicInteger read, int target) {
    long end = System.nanoTime() + 20_000_000_000L;
    try {
      while (System.nanoTime() < end && read.get() < target) {
        Thread.sleep(10);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return read.get();
  }
}
