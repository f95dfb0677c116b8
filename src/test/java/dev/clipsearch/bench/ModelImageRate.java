package dev.clipsearch.bench;

import dev.clipsearch.model.ModelSpec;
import dev.clipsearch.model.runtime.ClipModel;
import dev.clipsearch.model.runtime.ComputeDevice;
import dev.clipsearch.model.runtime.DeviceRequest;
import dev.clipsearch.model.runtime.DeviceSelector;
import java.nio.file.Path;
import java.util.Random;

/**
 * The image tower alone: images/s of encode_image at one batch size on already-preprocessed pixels, with the same
 * runtime settings the server uses (precision and the thread plan it implies). This is the ceiling that ingest's
 * end-to-end rate is compared with (src/bench/python/ingestbench.py). Prints one JSON line.
 *
 * <pre>
 * java -cp target/clip-search.jar:target/test-classes dev.clipsearch.bench.ModelImageRate MODEL.pt [BATCH] [SECONDS] \
 *     [DEVICE] [PRECISION] [TORCH_THREADS BLAS_THREADS]   (0 = the precision's default)
 * </pre>
 */
public final class ModelImageRate {
  private ModelImageRate() {
  }

  /** Process CPU time: on a shared machine the steadier measure (wall time swings with the neighbours' load). */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  public static void main(String[] args) throws java.io.IOException {
    Path file = Path.of(args[0]);
    int batch = args.length > 1 ? Integer.parseInt(args[1]) : 16;
    double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 15;
    String device = args.length > 3 ? args[3] : "cpu";
    String precision = args.length > 4 ? args[4] : "auto"; // the server's default
    int torchThreads = args.length > 5 ? Integer.parseInt(args[5]) : 0;
    int blasThreads = args.length > 6 ? Integer.parseInt(args[6]) : 0;
    ComputeDevice compute = DeviceSelector.select(DeviceRequest.parse(device),
        ComputeDevice.Precision.valueOf(precision.toUpperCase(java.util.Locale.ROOT)), blasThreads, torchThreads);
    try (ClipModel clip = ClipModel.load(file, ModelSpec.forModel(file), compute, batch)) {
      int s = clip.spec().imageSize();
      float[] pixels = new float[batch * 3 * s * s];
      Random random = new Random(7);
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = (float) random.nextGaussian(); // the tower's cost does not depend on the values
      }
      for (int i = 0; i < 3; i++) {
        clip.encodeImages(pixels, batch); // warm-up beyond the loader's own
      }
      long start = System.nanoTime();
      long cpuStart = processCpuNanos();
      long limit = start + (long) (seconds * 1e9);
      int batches = 0;
      while (System.nanoTime() < limit || batches < 3) {
        clip.encodeImages(pixels, batch);
        batches++;
      }
      double elapsed = (System.nanoTime() - start) / 1e9;
      double cpuMsPerImage = (processCpuNanos() - cpuStart) / 1e6 / ((double) batches * batch);
      System.out.printf(java.util.Locale.ROOT, "{\"batch\": %d, \"batches\": %d, \"seconds\": %.3f, "
          + "\"images_per_second\": %.1f, \"cpu_ms_per_image\": %.2f, \"precision\": \"%s\"}%n", batch, batches,
          elapsed, batches * batch / elapsed, cpuMsPerImage, clip.device().precision().label());
    }
  }
}
