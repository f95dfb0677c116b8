package dev.clipsearch.model.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.clipsearch.model.ModelSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Wide parity check on real files: the 224 crop of every ImageNet sample photo (278 with ICC profiles, 23 greyscale),
 * every tenth CIFAR-10 test image (32x32, upscaled 7x) and the CLIP notebook images must hash exactly as the crops
 * open_clip's ViT-B-32 val transform made in Python (models/make_image_fixtures.py).
 */
class JavaImagePreprocessorSharedDataSweepTest {
  private static final Path DATA = ImageFixtures.ROOT.resolve("../shared/data").normalize();

  @Test
  void every224CropOfTheSharedImagesHashesAsTheReference() throws IOException, NoSuchAlgorithmException {
    assumeTrue(Files.isDirectory(DATA), "shared data not available at " + DATA);
    JavaImagePreprocessor pre = new JavaImagePreprocessor(ModelSpec.clipVitB32());
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    List<String> mismatches = new ArrayList<>();
    int checked = 0;
    try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(
        Files.newInputStream(ImageFixtures.DIR.resolve("shared_data_crops_224.tsv.gz"))), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        if (line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t");
        byte[] crop = pre.rgbCrop(ImageDecoder.decode(Files.readAllBytes(DATA.resolve(f[0])), Long.MAX_VALUE));
        String digest = HexFormat.of().formatHex(sha256.digest(crop)).substring(0, 16);
        if (!digest.equals(f[2])) {
          mismatches.add(f[0] + " (" + f[1] + ")");
        }
        checked++;
      }
    }
    System.out.printf("shared-data sweep: %d images, %d exact, mismatches: %s%n", checked, checked - mismatches.size(),
        mismatches);
    assertEquals(2009, checked, "images checked");
    assertEquals(List.of(), mismatches);
  }
}
