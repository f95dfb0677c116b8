package dev.clipsearch.embedding;

import dev.clipsearch.concurrent.Threads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Embeds many image files at full speed: reads, decodes and preprocesses on {@code decodeThreads} threads while the
 * image batcher encodes full batches. A semaphore caps images in flight so memory stays bounded and interactive
 * queries sharing the batcher still get their turn. Results arrive on the calling thread, in completion order.
 *
 * <p>An {@link Inspector} sees each file's bytes on the decode thread before decoding, so a caller can hash them
 * and skip the decode of content it already has: the file is read once either way.
 */
public final class BulkEmbedder {
  public static final long DEFAULT_MAX_FILE_BYTES = 64L << 20;
  /** Finished results the sink has not taken yet; a few chunks' worth of 2 KB vectors. */
  static final int MAX_UNCONSUMED = 2048;

  /** Looks at a file's bytes before it is decoded; runs on decode threads, so it must be thread-safe. */
  public interface Inspector<T> {
    /** Facts about the file to carry to its result; throw to fail the file (its reason is the message). */
    T inspect(Path path, byte[] bytes);

    /** Whether the file still needs a vector; false skips decoding and encoding. */
    boolean needsVector(Path path, T facts);
  }

  /** One file's result: facts and a vector, facts alone (no vector needed), or the reason it failed. */
  public record Result<T>(Path path, T facts, float[] vector, String error) {
    public boolean ok() {
      return error == null;
    }
  }

  private final ClipEncoder encoder;
  private final int decodeThreads;
  private final long maxFileBytes;

  public BulkEmbedder(ClipEncoder encoder, int decodeThreads) {
    this(encoder, decodeThreads, DEFAULT_MAX_FILE_BYTES);
  }

  public BulkEmbedder(ClipEncoder encoder, int decodeThreads, long maxFileBytes) {
    this.encoder = encoder;
    this.decodeThreads = Math.max(1, decodeThreads);
    this.maxFileBytes = maxFileBytes;
  }

  public long maxFileBytes() {
    return maxFileBytes;
  }

  /** Calls {@code sink} once per path (on this thread) and returns when every path is done. */
  public void embed(List<Path> paths, Consumer<Result<Void>> sink) throws InterruptedException {
    embed(paths, new Inspector<Void>() {
      @Override
      public Void inspect(Path path, byte[] bytes) {
        return null;
      }

      @Override
      public boolean needsVector(Path path, Void facts) {
        return true;
      }
    }, sink, () -> false);
  }

  /**
   * Calls {@code sink} once per started path (on this thread). Once {@code stop} turns true no further path is
   * started; those already in flight (at most two batches) still complete and reach the sink, then this returns.
   */
  public <T> void embed(List<Path> paths, Inspector<T> inspector, Consumer<Result<T>> sink, BooleanSupplier stop)
      throws InterruptedException {
    LinkedBlockingQueue<Result<T>> done = new LinkedBlockingQueue<>();
    // Two bounds: pixel buffers in flight (~600 KB each at 224 px) are released as soon as an image is encoded, so
    // decoding goes on while the sink is busy (a Milvus write of a whole chunk); finished results waiting for the
    // sink (a vector each) are bounded separately and much more loosely.
    Semaphore inFlight = new Semaphore(Math.max(8, encoder.imageBatcher().policy().maxBatch() * 2));
    Semaphore unconsumed = new Semaphore(MAX_UNCONSUMED);
    AtomicInteger started = new AtomicInteger();
    AtomicBoolean fed = new AtomicBoolean();
    ExecutorService decoders = Executors.newFixedThreadPool(decodeThreads, Threads.named("embed-decode"));
    Thread feeder = Threads.named("embed-feed").newThread(() -> {
      try {
        for (Path path : paths) {
          unconsumed.acquire();
          inFlight.acquire();
          if (stop.getAsBoolean()) {
            break;
          }
          started.incrementAndGet();
          submit(path, inspector, decoders, done, inFlight);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        fed.set(true);
      }
    });
    try {
      feeder.start();
      int taken = 0;
      // "fed" is read before "started": once the feeder is done, started is final, so no result is left behind.
      while (!(fed.get() && taken == started.get())) {
        Result<T> r = done.poll(50, TimeUnit.MILLISECONDS);
        if (r != null) {
          taken++;
          unconsumed.release();
          sink.accept(r);
        }
      }
    } finally {
      feeder.interrupt();
      decoders.shutdownNow();
    }
  }

  private <T> void submit(Path path, Inspector<T> inspector, ExecutorService decoders,
      LinkedBlockingQueue<Result<T>> done, Semaphore inFlight) {
    CompletableFuture.supplyAsync(() -> {
      byte[] bytes = read(path);
      T facts = inspector.inspect(path, bytes);
      if (!inspector.needsVector(path, facts)) {
        return new Result<>(path, facts, null, null);
      }
      float[] pixels = encoder.preprocess(bytes);
      return new Result<>(path, facts, pixels, null);
    }, decoders).thenCompose(r -> r.vector() == null ? CompletableFuture.completedFuture(r)
        : encoder.submitPixels(r.vector()).thenApply(v -> new Result<>(path, r.facts(), v, null)))
        .whenComplete((r, error) -> {
          inFlight.release();
          done.add(error == null ? r : new Result<>(path, null, null, reason(error)));
        });
  }

  private byte[] read(Path path) {
    try {
      long size = Files.size(path);
      if (size > maxFileBytes) {
        throw new IllegalArgumentException(tooLarge(size, maxFileBytes));
      }
      return Files.readAllBytes(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read: " + e.getMessage(), e);
    }
  }

  /** The reason given for a file over the size limit (ingest reports files it skips by size the same way). */
  public static String tooLarge(long size, long limit) {
    return "file is " + size + " bytes, over the " + limit + "-byte limit";
  }

  private static String reason(Throwable error) {
    Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }
}
