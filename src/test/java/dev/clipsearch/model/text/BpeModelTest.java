package dev.clipsearch.model.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The two merge strategies of {@link BpeModel} (rescan per rank, heap for long pieces) must give the same ids. */
class BpeModelTest {
  private static BpeModel bpe;

  @BeforeAll
  static void readVocabulary() throws IOException {
    try (InputStream in = Tokenizer.class.getResourceAsStream(Tokenizer.VOCABULARY_RESOURCE)) {
      bpe = BpeModel.read(in);
    }
  }

  @Test
  void heapMergeAgreesWithRescanMergeOnRandomPieces() {
    Random random = new Random(42);
    String[] alphabets = {"abcdefghijklmnopqrstuvwxyz", "aeiouy", "ab", "!?.,-", "\u00e9\u00e8\u00e0\u00fc\u00df",
        "\u732b\u72ac\u306e\u3067\u3059", "\uD83D\uDE00\uD83D\uDC36"};
    for (int round = 0; round < 3000; round++) {
      String alphabet = alphabets[round % alphabets.length];
      int length = 1 + random.nextInt(round < 2500 ? 40 : 400);
      StringBuilder piece = new StringBuilder();
      while (piece.length() < length) {
        int at = random.nextInt(alphabet.length());
        if (Character.isHighSurrogate(alphabet.charAt(at))) piece.append(alphabet, at, at + 2);
        else if (!Character.isLowSurrogate(alphabet.charAt(at))) piece.append(alphabet.charAt(at));
      }
      String p = piece.toString();
      assertArrayEquals(bpe.encodePiece(p, false), bpe.encodePiece(p, true), p);
    }
  }

  @Test
  void aLongWordIsMergedQuickly() {
    Random random = new Random(7);
    StringBuilder word = new StringBuilder();
    for (int i = 0; i < 200_000; i++) word.append((char) ('a' + random.nextInt(26)));
    long start = System.nanoTime();
    int[] ids = bpe.encodePiece(word.toString());
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(ids.length > 10_000 && ids.length < 200_000, "ids: " + ids.length);
    // the rescanning loop takes minutes on this; the heap well under a second even on a busy machine
    assertTrue(millis < 5_000, "took " + millis + " ms");
  }

  @Test
  void singleByteAndSpecialPieces() {
    assertArrayEquals(new int[] {320}, bpe.encodePiece("a"));
    assertArrayEquals(new int[] {Tokenizer.SOT}, bpe.encodePiece("<|startoftext|>"));
    assertArrayEquals(new int[] {Tokenizer.EOT}, bpe.encodePiece("<|endoftext|>"));
    assertEquals(49408, bpe.vocabularySize());
  }
}
