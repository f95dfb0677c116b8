package dev.clipsearch.model.image;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.clipsearch.model.ModelSpec;
import dev.clipsearch.model.Vectors;
import dev.clipsearch.model.runtime.ClipModel;
import dev.clipsearch.model.runtime.ComputeDevice;
import dev.clipsearch.model.runtime.DeviceRequest;
import dev.clipsearch.model.runtime.DeviceSelector;
import dev.clipsearch.nativelib.NativeAvailability;
import dev.clipsearch.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fast mode (libjpeg-turbo DCT-domain downscale, then the exact filter) against exact mode on real photos: pixel
 * differences of the crops, and the cosine between the image vectors of the test model (issue 11: >= 0.999).
 * Measured: 121 photos, cosine min 0.999890, mean 0.999997; crop pixels mean |diff| 0.147 levels.
 */
class NativeImagePreprocessorFastModeIT {
  private static final double MIN_COSINE = 0.999;

  @BeforeAll
  static void nativeLibrary() {
    NativeAvailability.assumeBuiltAndLoaded();
  }

  /** The JPEGs fast mode changes: shorter side at least 2 S, so that at least the 1/2 DCT scale applies. */
  static List<Path> photos(int size) throws IOException {
    Path data = SharedData.root().resolve("data");
    List<Path> out = new ArrayList<>();
    try (Stream<Path> s = Stream.concat(Files.list(data.resolve("imagenet-sample")), Files.list(data.resolve("clip-notebook")))) {
      for (Path p : s.filter(p -> p.toString().matches(".*\\.(JPEG|jpg)")).sorted().toList()) {
        ImageHeader h = ImageHeader.parse(Files.readAllBytes(p));
        if (Math.min(h.width(), h.height()) >= 2 * size) {
          out.add(p);
        }
      }
    }
    return out;
  }

  @Test
  void fastModeImageVectorsStayWithinCosineOfExactMode() throws IOException {
    Path modelFile = SharedData.tinyClipModel();
    assumeTrue(Files.exists(modelFile), "test model not available: " + modelFile);
    ModelSpec spec = ModelSpec.forModel(modelFile);
    NativeImagePreprocessor exact = ImageFixtures.nativePreprocessor(spec, ImagePreprocessor.NativeMode.EXACT);
    NativeImagePreprocessor fast = ImageFixtures.nativePreprocessor(spec, ImagePreprocessor.NativeMode.FAST);
    List<Path> photos = photos(spec.imageSize());
    assumeTrue(!photos.isEmpty(), "no photos large enough for fast mode to apply");
    int batch = 16;
    int floats = 3 * spec.imageSize() * spec.imageSize();
    double minCosine = 1;
    double sumCosine = 0;
    long pixelDiffSum = 0;
    long pixelCount = 0;
    int maxPixelDiff = 0;
    String worst = "";
    ComputeDevice device = DeviceSelector.select(DeviceRequest.CPU, ComputeDevice.Precision.FP32, 2, 1);
    try (ClipModel model = ClipModel.load(modelFile, spec, device, batch)) {
      for (int start = 0; start < photos.size(); start += batch) {
        int n = Math.min(batch, photos.size() - start);
        float[] exactPixels = new float[n * floats];
        float[] fastPixels = new float[n * floats];
        for (int i = 0; i < n; i++) {
          byte[] bytes = Files.readAllBytes(photos.get(start + i));
          exact.preprocessInto(bytes, exactPixels, i * floats);
          fast.preprocessInto(bytes, fastPixels, i * floats);
          byte[] a = exact.rgbCrop(bytes);
          byte[] b = fast.rgbCrop(bytes);
          for (int k = 0; k < a.length; k++) {
            int d = Math.abs((a[k] & 0xFF) - (b[k] & 0xFF));
            pixelDiffSum += d;
            maxPixelDiff = Math.max(maxPixelDiff, d);
          }
          pixelCount += a.length;
        }
        float[][] e = model.encodeImages(exactPixels, n);
        float[][] f = model.encodeImages(fastPixels, n);
        for (int i = 0; i < n; i++) {
          double cos = Vectors.cosine(e[i], f[i]);
          sumCosine += cos;
          if (cos < minCosine) {
            minCosine = cos;
            worst = photos.get(start + i).getFileName().toString();
          }
        }
      }
    }
    System.out.printf("fast vs exact over %d JPEGs with shorter side >= 2 S: cosine min %.6f (%s) mean %.6f; pixels mean |diff| %.3f max %d%n",
        photos.size(), minCosine, worst, sumCosine / photos.size(), (double) pixelDiffSum / pixelCount, maxPixelDiff);
    assertTrue(minCosine >= MIN_COSINE, "min cosine " + minCosine + " at " + worst);
  }
}
