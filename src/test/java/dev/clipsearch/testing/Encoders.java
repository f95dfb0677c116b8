package dev.clipsearch.testing;

import dev.clipsearch.batching.BatchPolicy;
import dev.clipsearch.embedding.ClipEncoder;
import dev.clipsearch.embedding.EncoderOptions;
import dev.clipsearch.model.image.DecoderChoice;
import dev.clipsearch.model.runtime.ClipModel;
import dev.clipsearch.model.text.Tokenizer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Encoders for tests that run the real model: the default decoder, every staging slot in use, meters of their own. */
public final class Encoders {
  private Encoders() {}

  public static ClipEncoder of(ClipModel model, BatchPolicy text, BatchPolicy image, int queueCapacity,
      int cacheEntries) {
    return new ClipEncoder(model, Tokenizer.load(), new EncoderOptions(text, image, queueCapacity,
        model.staging().slots(), cacheEntries, DecoderChoice.NATIVE), new SimpleMeterRegistry());
  }
}
