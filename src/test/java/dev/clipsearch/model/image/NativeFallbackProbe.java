package dev.clipsearch.model.image;

import dev.clipsearch.model.ModelSpec;
import java.util.Arrays;

/** Run in a child JVM by NativeLibTest: prints whether the native path is used and whether results match Java. */
public final class NativeFallbackProbe {
  private NativeFallbackProbe() {}

  public static void main(String[] args) {
    ModelSpec spec = ModelSpec.clipVitB32();
    byte[] jpeg = ImageFixtures.fixture("jpeg_baseline_420.jpg");
    ImagePreprocessor pre = ImagePreprocessor.nativeOrJava(spec, ImagePreprocessor.NativeMode.EXACT);
    ImagePreprocessor again = ImagePreprocessor.nativeOrJava(spec, ImagePreprocessor.NativeMode.FAST);
    boolean same = Arrays.equals(new JavaImagePreprocessor(spec).preprocess(jpeg), pre.preprocess(jpeg));
    System.out.println("usesNative=" + pre.usesNative() + "," + again.usesNative() + " sameAsJava=" + same);
  }
}
