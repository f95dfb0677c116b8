package dev.clipsearch.bench;

import dev.clipsearch.model.ModelSpec;
import dev.clipsearch.model.image.ImagePreprocessor;
import dev.clipsearch.model.image.JavaImagePreprocessor;
import dev.clipsearch.testing.SharedData;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decode + preprocess of one image to 3x224x224 floats, single thread: Java path vs native exact vs native fast
 * (into a direct buffer, as the batcher's staging buffer would be). Self-checking: the setup verifies that the
 * native exact output equals the Java one. Python reference: native/bench/bench_pil.py on the same files.
 *
 * <p>Run: {@code mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt} then
 * {@code java -cp target/test-classes:target/classes:$(cat target/cp.txt) org.openjdk.jmh.Main NativePreprocessBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class NativePreprocessBench {
  /** The 12 MP photo, made by the setup (the shared data has none): a real photo upscaled, with sensor-like noise. */
  public static final Path LARGE = Path.of(System.getProperty("java.io.tmpdir"), "clipsearch-bench-12mp.jpg");

  @Param({"cifar-32x32", "imagenet-500x375", "photo-4032x3024"})
  public String image;

  @Param({"java", "native-exact", "native-fast"})
  public String impl;

  private byte[] bytes;
  private JavaImagePreprocessor java;
  private ImagePreprocessor nat;
  private FloatBuffer staging;
  private float[] heap;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    Path data = SharedData.root().resolve("data");
    bytes = switch (image) {
      case "cifar-32x32" -> Files.readAllBytes(data.resolve("cifar10-test/airplane/0000.jpg"));
      case "imagenet-500x375" -> Files.readAllBytes(data.resolve("imagenet-sample/n01440764_tench.JPEG"));
      default -> Files.readAllBytes(largePhoto(data.resolve("clip-notebook/rocket.jpg")));
    };
    ModelSpec spec = ModelSpec.clipVitB32();
    java = new JavaImagePreprocessor(spec);
    heap = new float[3 * 224 * 224];
    staging = ByteBuffer.allocateDirect(4 * heap.length).order(ByteOrder.nativeOrder()).asFloatBuffer();
    if (!impl.equals("java")) {
      nat = ImagePreprocessor.nativeOrJava(spec,
          impl.equals("native-fast") ? ImagePreprocessor.NativeMode.FAST : ImagePreprocessor.NativeMode.EXACT);
      if (!nat.usesNative()) {
        throw new IllegalStateException("native library not available");
      }
      if (impl.equals("native-exact") && !Arrays.equals(java.preprocess(bytes), nat.preprocess(bytes))) {
        throw new IllegalStateException("native exact output differs from the Java path on " + image);
      }
    }
  }

  @Benchmark
  public FloatBuffer preprocess() {
    if (nat == null) {
      java.preprocessInto(bytes, heap, 0);
      staging.put(0, heap); // the Java path's copy into the staging buffer
    } else {
      nat.preprocessInto(bytes, staging, 0);
    }
    return staging;
  }

  static synchronized Path largePhoto(Path source) throws IOException {
    if (Files.exists(LARGE)) {
      return LARGE;
    }
    BufferedImage src = ImageIO.read(source.toFile());
    BufferedImage big = new BufferedImage(4032, 3024, BufferedImage.TYPE_INT_RGB);
    var g = big.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(src, 0, 0, 4032, 3024, null);
    g.dispose();
    Random noise = new Random(42); // upscaled pixels are too smooth to decode like a real photo
    for (int y = 0; y < big.getHeight(); y++) {
      for (int x = 0; x < big.getWidth(); x++) {
        int rgb = big.getRGB(x, y);
        int n = noise.nextInt(17) - 8;
        int r = Math.max(0, Math.min(255, (rgb >> 16 & 0xFF) + n));
        int gr = Math.max(0, Math.min(255, (rgb >> 8 & 0xFF) + n));
        int b = Math.max(0, Math.min(255, (rgb & 0xFF) + n));
        big.setRGB(x, y, r << 16 | gr << 8 | b);
      }
    }
    Path tmp = Files.createTempFile(LARGE.getParent(), "clipsearch-bench", ".jpg");
    ImageIO.write(big, "jpg", tmp.toFile());
    Files.move(tmp, LARGE, StandardCopyOption.ATOMIC_MOVE);
    return LARGE;
  }
}
