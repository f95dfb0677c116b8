package dev.clipsearch.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.clipsearch.batching.BatchPolicy;
import dev.clipsearch.embedding.BulkEmbedder;
import dev.clipsearch.embedding.ClipEncoder;
import dev.clipsearch.model.ModelSpec;
import dev.clipsearch.model.runtime.ClipModel;
import dev.clipsearch.model.runtime.ComputeDevice;
import dev.clipsearch.model.runtime.DeviceRequest;
import dev.clipsearch.model.runtime.DeviceSelector;
import dev.clipsearch.model.text.Tokenizer;
import dev.clipsearch.testing.Encoders;
import dev.clipsearch.testing.SharedData;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Retrieval quality through the whole Java pipeline equals the Python reference pipeline (open_clip's tokenizer and
 * preprocessing) on all 10,000 CIFAR-10 test images with ../shared/models/cifar-tiny-clip.pt:
 * zero-shot accuracy 0.740, text->image P@10 0.98, mAP 0.805 (figures from ../shared/README.md).
 */
class ClassFolderEvalIT {
  @Test
  void cifarTinyClipReproducesThePythonReferenceFigures() throws Exception {
    Path file = SharedData.tinyClipModel();
    ComputeDevice device = DeviceSelector.select(DeviceRequest.CPU, ComputeDevice.Precision.FP32, 2, 1);
    try (ClipModel model = ClipModel.load(file, ModelSpec.forModel(file), device, 32);
        ClipEncoder encoder = Encoders.of(model, new BatchPolicy(32, 2_000_000),
            new BatchPolicy(32, 2_000_000), 1024, 64)) {
      RetrievalMetrics.Scores s = new ClassFolderEval(encoder, new BulkEmbedder(encoder, 2))
          .run(SharedData.root().resolve("data/cifar10-test"), "a photo of a {}", 0);
      assertEquals(10_000, s.images());
      assertEquals(0.740, s.zeroShotAccuracy(), 0.005);
      assertEquals(0.98, s.precisionAt10(), 0.005);
      assertEquals(0.805, s.meanAveragePrecision(), 0.005);
    }
  }
}
