package dev.clipsearch.bench;

import dev.clipsearch.model.ModelSpec;
import dev.clipsearch.model.runtime.ClipModel;
import dev.clipsearch.model.runtime.ComputeDevice;
import dev.clipsearch.model.runtime.DeviceRequest;
import dev.clipsearch.model.runtime.DeviceSelector;
import dev.clipsearch.model.text.Tokenizer;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The model's hot paths through LibTorch: a text query at the full 77 tokens vs the short path (the smallest
 * declared length that holds the query), and the image tower at batch 1/8/32. Self-checking: the short and full text
 * vectors must agree before anything is timed.
 *
 * <pre>
 * mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * OMP_WAIT_POLICY=PASSIVE java -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 \
 *   -cp target/test-classes:target/classes:$(cat target/cp.txt) org.openjdk.jmh.Main ClipModelBenchmark \
 *   -p model=/tmp/parity-full/clip.pt
 * </pre>
 * Python counterpart on the same file: models/bench_model.py.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Dorg.bytedeco.javacpp.maxPhysicalBytes=0"})
public class ClipModelBenchmark {
  @Param({"src/test/resources/fixtures/model/clip.pt"})
  public String model;

  @Param({"1", "8", "32"})
  public int imageBatch;

  private ClipModel clip;
  private long[] full;
  private long[] truncated;
  private int shortLength;
  private float[] pixels;

  @Setup(Level.Trial)
  public void load() throws Exception {
    Path file = Path.of(model);
    ComputeDevice device = DeviceSelector.select(DeviceRequest.CPU, ComputeDevice.Precision.FP32,
        Runtime.getRuntime().availableProcessors(), 1);
    clip = ClipModel.load(file, ModelSpec.forModel(file), device, 32);
    int[] ids = Tokenizer.load().encode("a photo of a white dog", clip.spec().contextLength());
    shortLength = clip.spec().textLengthFor(ids.length);
    full = Tokenizer.pad(ids, clip.spec().contextLength());
    truncated = Tokenizer.pad(ids, shortLength);
    float[] a = clip.encodeTexts(full, 1, full.length)[0];
    float[] b = clip.encodeTexts(truncated, 1, shortLength)[0];
    for (int i = 0; i < a.length; i++) {
      if (Math.abs(a[i] - b[i]) > 1e-5) {
        throw new IllegalStateException("short text path differs from 77 tokens at " + i);
      }
    }
    int s = clip.spec().imageSize();
    pixels = new float[32 * 3 * s * s];
    Random random = new Random(7);
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (float) random.nextGaussian();
    }
  }

  @TearDown(Level.Trial)
  public void close() {
    clip.close();
  }

  @Benchmark
  public float[][] text77() {
    return clip.encodeTexts(full, 1, full.length);
  }

  @Benchmark
  public float[][] textTruncated() {
    return clip.encodeTexts(truncated, 1, shortLength);
  }

  /** Time per batch; divide by imageBatch for time per image. */
  @Benchmark
  public float[][] imageBatch() {
    return clip.encodeImages(pixels, imageBatch);
  }
}
