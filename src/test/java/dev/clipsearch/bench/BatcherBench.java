package dev.clipsearch.bench;

import dev.clipsearch.batching.BatchKernel;
import dev.clipsearch.batching.BatchPolicy;
import dev.clipsearch.batching.Batcher;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The batcher's own cost per item: submit {@code batch} items, wait for all, with a trivial compute (x + 1) and a
 * policy whose batches close on size (the delay is a 50 ms safety net), so the figure is queue + hand-off + staging +
 * completion, not waiting. Self-checking: a wrong result throws.
 *
 * <pre>java -cp target/test-classes:target/classes:$(cat target/cp.txt) org.openjdk.jmh.Main BatcherBench</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgs = "-Xmx256m")
public class BatcherBench {
  @Param({"1", "8", "32"})
  int batch;

  @Param({"1", "2"})
  int inFlight;

  private Batcher<Integer, Integer> batcher;
  private final List<CompletableFuture<Integer>> futures = new ArrayList<>();

  @Setup(Level.Trial)
  public void start() {
    batcher = new Batcher<>("bench", new BatchPolicy(batch, 50_000_000), 1024, inFlight,
        BatchKernel.of(inFlight, in -> in.stream().map(x -> x + 1).toList()),
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
  }

  @TearDown(Level.Trial)
  public void stop() {
    batcher.close();
  }

  /** Average time per item (the invocation submits and awaits {@code batch} items). */
  @Benchmark
  @OperationsPerInvocation(32)
  public int submitAndAwait() throws Exception {
    int sum = 0;
    for (int round = 0; round < 32 / batch; round++) {
      futures.clear();
      for (int i = 0; i < batch; i++) {
        futures.add(batcher.submit(i));
      }
      for (int i = 0; i < batch; i++) {
        int v = futures.get(i).get(5, TimeUnit.SECONDS);
        if (v != i + 1) {
          throw new IllegalStateException("wrong result " + v + " for " + i);
        }
        sum += v;
      }
    }
    return sum;
  }
}
