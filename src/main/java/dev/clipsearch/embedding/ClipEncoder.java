package dev.clipsearch.embedding;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.clipsearch.batching.BatchPolicy;
import dev.clipsearch.batching.BatchStats;
import dev.clipsearch.batching.Batcher;
import dev.clipsearch.batching.OverloadedException;
import dev.clipsearch.batching.Priority;
import dev.clipsearch.model.ModelException;
import dev.clipsearch.model.ModelSpec;
import dev.clipsearch.model.image.ImagePreprocessor;
import dev.clipsearch.model.runtime.ClipModel;
import dev.clipsearch.model.text.Tokenizer;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Text and images in, unit vectors out: tokenizes/decodes on the caller's thread, then hands fixed-shape inputs to
 * one batcher per tower (the only hand-off). Thread-safe.
 *
 * <p>Text queries pad only up to the shortest length the model declares that holds the EOT token
 * ({@link ModelSpec#textLengthFor}); the text tower is causal and pools at EOT, so the vector is the same as at 77
 * tokens for far less work. A batch pads to its longest member.
 */
public final class ClipEncoder implements AutoCloseable {
  private static final long WAIT_SECONDS = 60;

  private final ClipModel model;
  private final Tokenizer tokenizer;
  private final ImagePreprocessor preprocessor;
  private final Batcher<int[], float[]> textBatcher;
  private final Batcher<float[], float[]> imageBatcher;
  /** Popular queries ("dog", a demo's example prompts) skip the text tower; vectors are shared, never modified. */
  private final Cache<String, float[]> cache;

  /** @param registry where the two batchers' meters go (tagged tower=text and tower=image) */
  public ClipEncoder(ClipModel model, Tokenizer tokenizer, EncoderOptions options, MeterRegistry registry) {
    if (options.batchesInFlight() > model.staging().slots()) {
      throw new IllegalArgumentException("batches in flight (" + options.batchesInFlight()
          + ") exceed the model's staging slots (" + model.staging().slots() + ")");
    }
    this.model = model;
    this.tokenizer = tokenizer;
    this.preprocessor = ImagePreprocessor.of(options.imageDecoder(), model.spec());
    org.slf4j.LoggerFactory.getLogger(ClipEncoder.class).info("image decoding: {} ({})",
        options.imageDecoder().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
        preprocessor.usesNative() ? "native library" : "pure Java, Pillow-exact");
    this.textBatcher = new Batcher<>("text", cap(options.text(), model.staging().maxBatchText()),
        options.queueCapacity(), options.batchesInFlight(), TowerKernels.text(model), registry);
    this.imageBatcher = new Batcher<>("image", cap(options.image(), model.staging().maxBatchImage()),
        options.queueCapacity(), options.batchesInFlight(), TowerKernels.image(model), registry);
    this.cache = Caffeine.newBuilder().maximumSize(options.cacheEntries()).executor(Runnable::run).build();
  }

  private static BatchPolicy cap(BatchPolicy p, int staged) {
    return new BatchPolicy(Math.min(p.maxBatch(), staged), p.maxDelayNanos());
  }

  public ModelSpec spec() {
    return model.spec();
  }

  public int[] tokenize(String text) {
    return tokenizer.encode(text, model.spec().contextLength());
  }

  /**
   * The unit vector of a text, from the cache when it was asked recently. The text is taken as given: queries are
   * validated where they enter ({@code search.Query}), prompts and parity inputs are the caller's.
   */
  public float[] encodeText(String text) {
    float[] cached = cache.getIfPresent(text);
    if (cached != null) {
      return cached;
    }
    // Not cache.get(text, loader): that would hold a lock of Caffeine's map while waiting for a batch.
    float[] vector = await(textBatcher.submit(tokenize(text)));
    cache.put(text, vector);
    return vector;
  }

  /** For a search: decodes and preprocesses on the caller's thread, then waits for the image batcher. */
  public float[] encodeImage(byte[] encoded) {
    return await(imageBatcher.submit(preprocess(encoded), Priority.INTERACTIVE));
  }

  /** As {@link #encodeImage}, for ingest: its batch places come after every waiting search's. */
  public float[] encodeImageForIngest(byte[] encoded) {
    return await(submitPixels(preprocess(encoded)));
  }

  /**
   * CHW floats for one image (decode + Pillow-exact resize/crop + normalise).
   *
   * @throws dev.clipsearch.model.image.BadImageException for bytes that are not a decodable image, or too large
   */
  public float[] preprocess(byte[] encoded) {
    return preprocessor.preprocess(encoded);
  }

  /** Queues preprocessed pixels as bulk work; ingest pipelines many of these. */
  public CompletableFuture<float[]> submitPixels(float[] pixels) {
    return imageBatcher.submit(pixels, Priority.BULK);
  }

  public Batcher<int[], float[]> textBatcher() {
    return textBatcher;
  }

  public Batcher<float[], float[]> imageBatcher() {
    return imageBatcher;
  }

  /** Metrics of both towers, text first: what /metrics and the periodic log line show. */
  public List<BatchStats.Snapshot> metrics() {
    return List.of(textBatcher.snapshot(), imageBatcher.snapshot());
  }

  /** Waits for a batcher result; unwraps its failure so callers see the real exception type. */
  public static float[] await(CompletableFuture<float[]> future) {
    try {
      return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new ModelException("interrupted while waiting for the model", e);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new OverloadedException("the model did not answer within " + WAIT_SECONDS + " s");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new ModelException("model failed: " + cause, cause);
    }
  }

  /** Stops the batchers (failing queued work); the model itself belongs to the caller. */
  @Override
  public void close() {
    textBatcher.close();
    imageBatcher.close();
  }

}
