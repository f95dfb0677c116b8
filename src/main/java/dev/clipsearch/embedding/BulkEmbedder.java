package dev.clipsearch.embedding;

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

/**
 * Embeds many image files at full speed: reads, decodes and preprocesses on {@code decodeThreads} threads while the
 * image batcher encodes full batches. A semaphore caps images in flight so memory stays bounded and interactive
 * queries sharing the batcher still get their turn. Results arrive on the calling thread, in completion order.
 */
public final class BulkEmbedder {
  private static final long MAX_FILE_BYTES = 64L << 20;

  /** One file's result: a vector, or the reason it failed. */
  public record Result(Path path, float[] vector, String error) {
    public boolean ok() {
      return error == null;
    }
  }

  private final ClipEncoder encoder;
  private final int decodeThreads;

  public BulkEmbedder(ClipEncoder encoder, int decodeThreads) {
    this.encoder = encoder;
    this.decodeThreads = Math.max(1, decodeThreads);
  }

  /** Calls {@code sink} once per path (on this thread) and returns when every path is done. */
  public void embed(List<Path> paths, java.util.function.Consumer<Result> sink) throws InterruptedException {
    LinkedBlockingQueue<Result> done = new LinkedBlockingQueue<>();
    Semaphore inFlight = new Semaphore(Math.max(8, encoder.imageBatcher().policy().maxBatch() * 2));
    ExecutorService decoders = Executors.newFixedThreadPool(decodeThreads, r -> {
      Thread t = new Thread(r, "embed-decode");
      t.setDaemon(true);
      return t;
    });
    Thread feeder = new Thread(() -> feed(paths, decoders, inFlight, done), "embed-feed");
    feeder.setDaemon(true);
    try {
      feeder.start();
      for (int i = 0; i < paths.size(); i++) {
        Result r = done.take();
        inFlight.release();
        sink.accept(r);
      }
    } finally {
      feeder.interrupt();
      decoders.shutdownNow();
    }
  }

  private void feed(List<Path> paths, ExecutorService decoders, Semaphore inFlight, LinkedBlockingQueue<Result> done) {
    for (Path path : paths) {
      try {
        inFlight.acquire();
      } catch (InterruptedException e) {
        return;
      }
      CompletableFuture.supplyAsync(() -> encoder.preprocess(read(path)), decoders)
          .thenCompose(encoder::submitPixels)
          .whenComplete((vector, error) -> done.add(error == null
              ? new Result(path, vector, null)
              : new Result(path, null, reason(error))));
    }
  }

  private static byte[] read(Path path) {
    try {
      long size = Files.size(path);
      if (size > MAX_FILE_BYTES) {
        throw new IllegalArgumentException(
            "file is " + (size >> 20) + " MiB, over the " + (MAX_FILE_BYTES >> 20) + " MiB limit");
      }
      return Files.readAllBytes(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read: " + e.getMessage(), e);
    }
  }

  private static String reason(Throwable error) {
    Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }
}
