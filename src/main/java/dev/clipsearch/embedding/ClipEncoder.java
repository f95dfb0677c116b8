package dev.clipsearch.embedding;

import dev.clipsearch.batching.BatchPolicy;
import dev.clipsearch.batching.BatchStats;
import dev.clipsearch.batching.Batcher;
import dev.clipsearch.batching.OverloadedException;
import dev.clipsearch.model.ModelException;
import dev.clipsearch.model.ModelSpec;
import dev.clipsearch.model.image.ImagePreprocessor;
import dev.clipsearch.model.runtime.ClipModel;
import dev.clipsearch.model.text.Tokenizer;
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
  /** Longer queries are rejected rather than silently truncated to nonsense (CLIP reads 77 tokens at most). */
  public static final int MAX_QUERY_CHARS = 1000;

  private static final long WAIT_SECONDS = 60;

  private final ClipModel model;
  private final Tokenizer tokenizer;
  private final ImagePreprocessor preprocessor;
  private final Batcher<int[], float[]> textBatcher;
  private final Batcher<float[], float[]> imageBatcher;
  private final TextVectorCache cache;

  /** Two batches in flight per tower when the model has two staging slots. */
  public ClipEncoder(ClipModel model, Tokenizer tokenizer, BatchPolicy text, BatchPolicy image, int queueCapacity,
      int cacheEntries) {
    this(model, tokenizer, new EncoderOptions(text, image, queueCapacity, model.staging().slots(), cacheEntries));
  }

  public ClipEncoder(ClipModel model, Tokenizer tokenizer, EncoderOptions options) {
    if (options.batchesInFlight() > model.staging().slots()) {
      throw new IllegalArgumentException("batches in flight (" + options.batchesInFlight()
          + ") exceed the model's staging slots (" + model.staging().slots() + ")");
    }
    this.model = model;
    this.tokenizer = tokenizer;
    this.preprocessor = switch (options.imageDecoder()) {
      case "java" -> ImagePreprocessor.java(model.spec());
      case "native-fast" -> ImagePreprocessor.nativeOrJava(model.spec(), ImagePreprocessor.NativeMode.FAST);
      default -> ImagePreprocessor.nativeOrJava(model.spec(), ImagePreprocessor.NativeMode.EXACT);
    };
    org.slf4j.LoggerFactory.getLogger(ClipEncoder.class).info("image decoding: {} ({})", options.imageDecoder(),
        preprocessor.usesNative() ? "native library" : "pure Java, Pillow-exact");
    this.textBatcher = new Batcher<>("text", cap(options.text(), model.staging().maxBatchText()),
        options.queueCapacity(), options.batchesInFlight(), TowerKernels.text(model));
    this.imageBatcher = new Batcher<>("image", cap(options.image(), model.staging().maxBatchImage()),
        options.queueCapacity(), options.batchesInFlight(), TowerKernels.image(model));
    this.cache = new TextVectorCache(options.cacheEntries());
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

  /** @throws IllegalArgumentException for an empty, blank or overlong text */
  public float[] encodeText(String text) {
    String query = validateQuery(text);
    float[] cached = cache.get(query);
    if (cached != null) {
      return cached;
    }
    float[] vector = await(textBatcher.submit(tokenize(query)));
    cache.put(query, vector);
    return vector;
  }

  public static String validateQuery(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("the query is empty: type a few words, e.g. \"a white dog\"");
    }
    if (text.length() > MAX_QUERY_CHARS) {
      throw new IllegalArgumentException(
          "the query is too long (" + text.length() + " characters, at most " + MAX_QUERY_CHARS + ")");
    }
    return text.strip();
  }

  /** Decodes and preprocesses on the caller's thread, then waits for the image batcher. */
  public float[] encodeImage(byte[] encoded) {
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

  /** Queues preprocessed pixels; ingest pipelines many of these. */
  public CompletableFuture<float[]> submitPixels(float[] pixels) {
    return imageBatcher.submit(pixels);
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
