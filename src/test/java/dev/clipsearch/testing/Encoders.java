package dev.clipsearch.testing;

import dev.clipsearch.batching.BatchPolicy;
import dev.clipsearch.embedding.ClipEncoder;
import dev.clipsearch.embedding.EncoderOptions;
import dev.clipsearch.model.ModelSpec;
import dev.clipsearch.model.image.DecoderChoice;
import dev.clipsearch.model.runtime.ClipModel;
import dev.clipsearch.model.runtime.ComputeDevice;
import dev.clipsearch.model.runtime.DeviceRequest;
import dev.clipsearch.model.runtime.DeviceSelector;
import dev.clipsearch.model.text.Tokenizer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;

/** Encoders for tests that run the real model: the default decoder, every staging slot in use, meters of their own. */
public final class Encoders {
  private Encoders() {}

  /** The tiny test model on the CPU in fp32 (2 BLAS threads), as the storage ITs load it; the caller closes it. */
  public static ClipModel tinyModelOnCpu() throws IOException {
    Path file = SharedData.tinyClipModel();
    return ClipModel.load(file, ModelSpec.forModel(file),
        DeviceSelector.select(DeviceRequest.CPU, ComputeDevice.Precision.FP32, 2, 1), 16);
  }

  /** An encoder batching up to 16 per tower within 2 ms. */
  public static ClipEncoder batching16(ClipModel model) {
    return of(model, new BatchPolicy(16, 2_000_000), new BatchPolicy(16, 2_000_000), 1024, 64);
  }

  public static ClipEncoder of(ClipModel model, BatchPolicy text, BatchPolicy image, int queueCapacity,
      int cacheEntries) {
    return new ClipEncoder(model, Tokenizer.load(), new EncoderOptions(text, image, queueCapacity,
        model.staging().slots(), cacheEntries, DecoderChoice.NATIVE), new SimpleMeterRegistry());
  }
}
