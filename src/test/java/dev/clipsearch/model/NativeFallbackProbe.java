package dev.clipsearch.model;

import java.util.Arrays;

/** Run in a child JVM by NativeLibTest: prints whether the native path is used and whether results match Java. */
public final class NativeFallbackProbe {
  private NativeFallbackProbe() {}

  public static void main(String[] args) {
    ModelSpec spec = ModelSpec.clipVitB32();
    byte[] jpeg = ImageFixtures.fixture("jpeg_baseline_420.jpg");
    NativeImagePreprocessor pre = NativeImagePreprocessor.create(spec, NativeImagePreprocessor.Mode.EXACT);
    NativeImagePreprocessor again = NativeImagePreprocessor.create(spec, NativeImagePreprocessor.Mode.FAST);
    boolean same = Arrays.equals(new ImagePreprocessor(spec).preprocess(jpeg), pre.preprocess(jpeg));
    System.out.println("usesNative=" + pre.usesNative() + "," + again.usesNative() + " sameAsJava=" + same);
  }
}
