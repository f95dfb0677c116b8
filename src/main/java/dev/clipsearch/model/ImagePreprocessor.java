package dev.clipsearch.model;

/** Placeholder until the Pillow-exact preprocessor lands (branch preprocess). */
public final class ImagePreprocessor {
  public ImagePreprocessor(ModelSpec spec) {}

  public float[] preprocess(byte[] encoded) {
    throw new UnsupportedOperationException("preprocessor not merged yet");
  }
}
