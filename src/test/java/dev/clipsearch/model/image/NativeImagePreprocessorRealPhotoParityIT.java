package dev.clipsearch.model.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.model.ModelSpec;
import dev.clipsearch.nativelib.NativeAvailability;
import dev.clipsearch.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Exact mode against the Java path on every real photo in ../shared/data (ImageNet sample, CLIP notebook images,
 * a slice of CIFAR-10): the float tensors must be bit-identical.
 */
class NativeImagePreprocessorRealPhotoParityIT {
  private static final int CIFAR_PER_CLASS = 20;

  @BeforeAll
  static void nativeLibrary() {
    NativeAvailability.assumeBuiltAndLoaded();
  }

  static List<Path> photos() throws IOException {
    Path data = SharedData.root().resolve("data");
    List<Path> out = new ArrayList<>();
    for (String dir : List.of("imagenet-sample", "clip-notebook")) {
      try (Stream<Path> s = Files.list(data.resolve(dir))) {
        s.filter(p -> p.toString().matches(".*\\.(JPEG|jpg|png)")).sorted().forEach(out::add);
      }
    }
    try (Stream<Path> classes = Files.list(data.resolve("cifar10-test"))) {
      for (Path c : classes.sorted().toList()) {
        try (Stream<Path> s = Files.list(c)) {
          s.sorted().limit(CIFAR_PER_CLASS).forEach(out::add);
        }
      }
    }
    return out;
  }

  @Test
  void exactModeTensorsAreBitIdenticalToTheJavaPath() throws IOException {
    ModelSpec spec = ModelSpec.clipVitB32();
    NativeImagePreprocessor nat = ImageFixtures.nativePreprocessor(spec, ImagePreprocessor.NativeMode.EXACT);
    JavaImagePreprocessor java = new JavaImagePreprocessor(spec);
    List<Path> photos = photos();
    List<String> different = new ArrayList<>();
    for (Path p : photos) {
      byte[] bytes = Files.readAllBytes(p);
      if (!Arrays.equals(java.preprocess(bytes), nat.preprocess(bytes))) {
        different.add(p.getFileName().toString());
      }
    }
    System.out.printf("native exact vs Java: %d photos, %d differ %s%n", photos.size(), different.size(), different);
    assertTrue(photos.size() > 1000, "expected the shared photo sets, found " + photos.size());
    assertEquals(List.of(), different);
  }
}
