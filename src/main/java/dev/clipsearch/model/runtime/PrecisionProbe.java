package dev.clipsearch.model.runtime;

import dev.clipsearch.model.ModelSpec;
import dev.clipsearch.model.Vectors;
import dev.clipsearch.model.text.Tokenizer;
import java.util.Random;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.IValueVector;
import org.bytedeco.pytorch.InferenceMode;
import org.bytedeco.pytorch.JitModule;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * A fixed handful of inputs (2 images, 2 captions) run through both towers of a module, so that the loader can
 * compare a reduced-precision copy with fp32 on this model, on this machine, before serving from it. A cheap check at
 * start (one small batch per tower), not the quality gate itself: that is the CI eval on real images.
 */
final class PrecisionProbe {
  private static final int IMAGES = 2;
  private static final int[][] CAPTIONS = {
      {Tokenizer.SOT, 320, 1125, 539, 320, 1929, Tokenizer.EOT}, // "a photo of a dog"
      {Tokenizer.SOT, 320, 22697, Tokenizer.EOT}}; // "a diagram"

  private PrecisionProbe() {}

  /**
   * @param imageType the dtype the image tower takes
   * @param autocast run under {@link CpuAutocast}
   * @return unit vectors, images then captions
   */
  static float[][] encode(JitModule module, ModelSpec spec, torch.ScalarType imageType, boolean autocast) {
    int s = spec.imageSize();
    float[] pixels = new float[IMAGES * 3 * s * s];
    Random random = new Random(42);
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (float) random.nextGaussian(); // normalised pixels of a noise image: every weight takes part
    }
    long[] ids = new long[CAPTIONS.length * spec.contextLength()];
    for (int r = 0; r < CAPTIONS.length; r++) {
      for (int t = 0; t < CAPTIONS[r].length; t++) {
        ids[r * spec.contextLength() + t] = CAPTIONS[r][t];
      }
    }
    try (PointerScope scope = new PointerScope(); InferenceMode guard = new InferenceMode();
        CpuAutocast bf16 = CpuAutocast.bf16If(autocast)) {
      Tensor images = ModelLoader.hostTensor(new long[] {IMAGES, 3, s, s}, torch.ScalarType.Float, false);
      images.data_ptr_float().put(pixels);
      Tensor texts = ModelLoader.hostTensor(new long[] {CAPTIONS.length, spec.contextLength()}, torch.ScalarType.Long, false);
      texts.data_ptr_long().put(ids);
      float[][] img = ModelLoader.toRows(call(module, "encode_image", images.to(imageType)), IMAGES, spec, true);
      float[][] txt = ModelLoader.toRows(call(module, "encode_text", texts), CAPTIONS.length, spec, true);
      float[][] all = new float[IMAGES + CAPTIONS.length][];
      System.arraycopy(img, 0, all, 0, IMAGES);
      System.arraycopy(txt, 0, all, IMAGES, CAPTIONS.length);
      return all;
    }
  }

  static double minCosine(float[][] reference, float[][] other) {
    double worst = 1;
    for (int i = 0; i < reference.length; i++) {
      worst = Math.min(worst, Vectors.cosine(reference[i], other[i]));
    }
    return worst;
  }

  private static Tensor call(JitModule module, String method, Tensor input) {
    return module.get_method(method).apply(new IValueVector(new IValue(input))).toTensor();
  }
}
