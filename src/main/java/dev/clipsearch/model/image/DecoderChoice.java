package dev.clipsearch.model.image;

/** Which preprocessor decodes images ({@code --image-decoder}); see {@link ImagePreprocessor#of}. */
public enum DecoderChoice {
  /** The JNI pipeline, Pillow-exact; the Java one where the library cannot load. */
  NATIVE,
  /** The JNI pipeline with JPEGs scaled down in the DCT domain first: much faster on large photos, cosine >= 0.999. */
  NATIVE_FAST,
  /** Pure Java, Pillow-exact. */
  JAVA
}
