package dev.clipsearch.model;

/** Placeholder until the CLIP BPE tokenizer lands (branch tokenizer); only the constants and pad are real. */
public final class Tokenizer {
  public static final int SOT = 49406;
  public static final int EOT = 49407;

  private Tokenizer() {}

  public static Tokenizer load() {
    throw new UnsupportedOperationException("tokenizer not merged yet");
  }

  public int[] encode(String text, int contextLength) {
    throw new UnsupportedOperationException("tokenizer not merged yet");
  }

  public static long[] pad(int[] ids, int length) {
    long[] out = new long[length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = ids[i];
    }
    return out;
  }
}
