package dev.clipsearch.bench;

import dev.clipsearch.model.ModelSpec;
import dev.clipsearch.model.image.ImageDecoder;
import dev.clipsearch.model.image.JavaImagePreprocessor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decode + CLIP preprocess (224) per image, one thread. The same files are timed in Python by
 * models/bench_preprocess.py (PIL + open_clip's transform), so the two reports compare directly.
 *
 * <pre>
 * mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test-cp.txt -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat target/test-cp.txt) org.openjdk.jmh.Main PreprocessBenchmark
 * </pre>
 *
 * Image paths are relative to the repository root (the photos are the shared data set, read from ../shared);
 * {@code -p image=/some/file.jpg} times any other file.
 *
 * <p>On a shared, loaded machine wall-clock times swing by 2x; {@link #main} instead reports the median thread CPU
 * time per call (same classpath, {@code dev.clipsearch.bench.PreprocessBenchmark [files]}), which is what
 * models/bench_preprocess.py reports too.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
public class PreprocessBenchmark {
  @Param({
      "../shared/data/cifar10-test/airplane/0000.jpg", // 32x32 JPEG, upscaled 7x
      "../shared/data/imagenet-sample/n01440764_tench.JPEG", // 500x375 JPEG, a typical photo
      "../shared/data/imagenet-sample/n01622779_great_grey_owl.JPEG", // 845x563 JPEG
      "../shared/data/clip-notebook/astronaut.png", // 512x512 RGB PNG
      "../shared/data/clip-notebook/horse.png", // 400x328 RGBA PNG (premultiplied resize)
      "../shared/data/clip-notebook/CLIP.png", // 2162x762 RGBA PNG
  })
  public String image;

  private byte[] encoded;
  private BufferedImage decoded;
  private JavaImagePreprocessor preprocessor;
  private float[] out;

  @Setup
  public void load() throws IOException {
    encoded = Files.readAllBytes(Path.of(image));
    decoded = ImageDecoder.decode(encoded, ImageDecoder.DEFAULT_MAX_PIXELS);
    ModelSpec spec = ModelSpec.clipVitB32();
    preprocessor = new JavaImagePreprocessor(spec);
    out = new float[3 * spec.imageSize() * spec.imageSize()];
  }

  /** Median thread CPU time per call, after warm-up, for each file (default: the benchmark's own list). */
  public static void main(String[] args) throws Exception {
    java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
    String[] files = args.length > 0 ? args
        : PreprocessBenchmark.class.getField("image").getAnnotation(Param.class).value();
    System.out.printf("%-62s %10s %8s %10s %8s  (ms CPU, median)%n", "file", "size", "decode", "preprocess", "both");
    for (String file : files) {
      PreprocessBenchmark b = new PreprocessBenchmark();
      b.image = file;
      b.load();
      double[] ms = new double[3];
      for (int which = 0; which < 3; which++) {
        long[] t = new long[41];
        for (int rep = -20; rep < t.length; rep++) {
          long start = cpu.getCurrentThreadCpuTime();
          Object sink = which == 0 ? b.decodeOnly() : which == 1 ? b.preprocessDecoded() : b.decodeAndPreprocess();
          long took = cpu.getCurrentThreadCpuTime() - start;
          if (rep >= 0 && sink != null) {
            t[rep] = took;
          }
        }
        java.util.Arrays.sort(t);
        ms[which] = t[t.length / 2] / 1e6;
      }
      System.out.printf("%-62s %10s %8.2f %10.2f %8.2f%n", file, b.decoded.getWidth() + "x" + b.decoded.getHeight(),
          ms[0], ms[1], ms[2]);
    }
  }

  @Benchmark
  public float[] decodeAndPreprocess() {
    preprocessor.preprocessInto(encoded, out, 0);
    return out;
  }

  @Benchmark
  public BufferedImage decodeOnly() {
    return ImageDecoder.decode(encoded, ImageDecoder.DEFAULT_MAX_PIXELS);
  }

  @Benchmark
  public float[] preprocessDecoded() {
    preprocessor.preprocessInto(decoded, out, 0);
    return out;
  }
}
