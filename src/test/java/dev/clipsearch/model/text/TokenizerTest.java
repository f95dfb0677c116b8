package dev.clipsearch.model.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class TokenizerTest {
  private static final int CONTEXT = 77;
  private final Tokenizer tokenizer = Tokenizer.load();

  @Test
  void encodesThePublishedExamples() {
    assertArrayEquals(new int[] {49406, 320, 22697, 49407}, tokenizer.encode("a diagram", CONTEXT));
    assertArrayEquals(new int[] {49406, 320, 1125, 539, 320, 1929, 49407}, tokenizer.encode("a photo of a dog", CONTEXT));
  }

  @Test
  void loadReturnsOneSharedTokenizerWithClipsVocabulary() {
    assertSame(tokenizer, Tokenizer.load());
    assertEquals(49408, tokenizer.vocabularySize());
  }

  @Test
  void emptyAndBlankTextGiveOnlyStartAndEnd() {
    assertArrayEquals(new int[] {Tokenizer.SOT, Tokenizer.EOT}, tokenizer.encode("", CONTEXT));
    assertArrayEquals(new int[] {Tokenizer.SOT, Tokenizer.EOT}, tokenizer.encode(" \t\n\u3000 ", CONTEXT));
  }

  @Test
  void textThatFitsExactlyIsNotCut() {
    int[] ids = tokenizer.encode("x ".repeat(75).trim(), CONTEXT); // 75 word ids + SOT + EOT = 77
    assertEquals(CONTEXT, ids.length);
    assertEquals(Tokenizer.SOT, ids[0]);
    assertEquals(Tokenizer.EOT, ids[CONTEXT - 1]);
    assertEquals(ids[1], ids[CONTEXT - 2], "the last x is kept");
  }

  @Test
  void longTextIsCutToContextLengthWithEndOfTextLast() {
    String text = "the quick brown fox jumps over the lazy dog ".repeat(20);
    int[] ids = tokenizer.encode(text, CONTEXT);
    assertEquals(CONTEXT, ids.length);
    assertEquals(Tokenizer.SOT, ids[0]);
    assertEquals(Tokenizer.EOT, ids[CONTEXT - 1]);
    int[] full = tokenizer.encode(text, 10_000);
    for (int i = 0; i < CONTEXT - 1; i++) assertEquals(full[i], ids[i], "id " + i + " is the uncut one");
    assertTrue(full.length > CONTEXT);
  }

  @Test
  void oneIdOverTheContextReplacesTheLastWordWithEndOfText() {
    int[] ids = tokenizer.encode("x ".repeat(76).trim(), CONTEXT); // 76 word ids: one too many
    assertEquals(CONTEXT, ids.length);
    assertEquals(Tokenizer.EOT, ids[CONTEXT - 1]);
    assertEquals(ids[1], ids[CONTEXT - 2]);
  }

  @Test
  void tinyContextLengthsBehaveAsOpenClips() {
    assertArrayEquals(new int[] {Tokenizer.SOT, Tokenizer.EOT}, tokenizer.encode("a photo of a dog", 2));
    assertArrayEquals(new int[] {Tokenizer.EOT}, tokenizer.encode("a photo of a dog", 1));
    assertThrows(IllegalArgumentException.class, () -> tokenizer.encode("a", 0));
  }

  @Test
  void specialTokenSpelledInTheTextBecomesThatToken() {
    // OpenAI's pattern matches the special tokens before anything else, so a user can type them (clip.tokenize
    // gives the same ids; OpenAiClipParityIT checks it)
    assertArrayEquals(new int[] {Tokenizer.SOT, 320, Tokenizer.EOT, 321, Tokenizer.EOT},
        tokenizer.encode("a<|endoftext|>b", CONTEXT));
  }

  @Test
  void padFillsWithZerosUpToTheLength() {
    long[] row = Tokenizer.pad(new int[] {Tokenizer.SOT, 320, Tokenizer.EOT}, 6);
    assertArrayEquals(new long[] {Tokenizer.SOT, 320, Tokenizer.EOT, 0, 0, 0}, row);
    assertArrayEquals(new long[] {1, 2}, Tokenizer.pad(new int[] {1, 2}, 2));
    assertThrows(IllegalArgumentException.class, () -> Tokenizer.pad(new int[] {1, 2, 3}, 2));
  }

  @Test
  void curlyQuotesAreStraightenedAsFtfyDoesByDefault() {
    // ftfy 6.3's fix_text has uncurl_quotes=True, so open_clip sees straight quotes
    assertEquals("\"hello\" it's", TextCleaner.clean("\u201cHello\u201d it\u2019s"));
    assertArrayEquals(tokenizer.encode("it's", CONTEXT), tokenizer.encode("it\u2019s", CONTEXT));
  }

  @Test
  void ftfyCutsLinesLongerThanAMillionCodePoints() {
    // ids from open_clip 3.3.0: the cut falls between the two characters of the mojibake "Ã©", so neither half
    // is repaired; four characters earlier, the whole "cafÃ©" is in one segment and becomes "café"
    assertArrayEquals(new int[] {49406, 127, 352, 5811, 49407},
        tokenizer.encode(" ".repeat(999_999) + "\u00c3\u00a9", CONTEXT));
    assertArrayEquals(new int[] {49406, 15304, 49407},
        tokenizer.encode(" ".repeat(999_990) + "caf\u00c3\u00a9", CONTEXT));
    // the segment length counts code points, as Python does: an emoji is one, not two chars
    assertArrayEquals(new int[] {49406, 7334, 127, 352, 5811, 49407},
        tokenizer.encode("\uD83D\uDE00" + " ".repeat(999_998) + "\u00c3\u00a9", CONTEXT));
  }

  @Test
  void concurrentEncodesOnAColdCacheGiveTheSameIdsAsOneThread() throws Exception {
    Tokenizer fresh;
    try (InputStream in = Tokenizer.class.getResourceAsStream(Tokenizer.VOCABULARY_RESOURCE)) {
      fresh = Tokenizer.read(in);
    }
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      texts.add("photo " + i + " of a caf\u00e9 n\u00b0" + (i * 7919) + " with " + Integer.toString(i * 31, 36)
          + " \u732b" + " &amp; \u201cquotes\u201d " + "z".repeat(i % 17));
    }
    List<int[]> expected = new ArrayList<>();
    for (String text : texts) expected.add(tokenizer.encode(text, CONTEXT));

    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<List<int[]>>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int offset = t * 37;
        results.add(pool.submit(() -> {
          start.await();
          List<int[]> got = new ArrayList<>(texts.size());
          for (int i = 0; i < texts.size(); i++) got.add(null);
          for (int k = 0; k < texts.size(); k++) {
            int i = (k + offset) % texts.size(); // threads walk the texts in different orders
            got.set(i, fresh.encode(texts.get(i), CONTEXT));
          }
          return got;
        }));
      }
      start.countDown();
      for (Future<List<int[]>> result : results) {
        List<int[]> got = result.get();
        for (int i = 0; i < texts.size(); i++) assertArrayEquals(expected.get(i), got.get(i), texts.get(i));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void pieceCacheStaysBoundedAndCorrectPastItsLimit() throws IOException {
    Tokenizer fresh;
    try (InputStream in = Tokenizer.class.getResourceAsStream(Tokenizer.VOCABULARY_RESOURCE)) {
      fresh = Tokenizer.read(in);
    }
    int[] before = fresh.encode("zebra crossing", CONTEXT);
    for (int i = 0; i < Tokenizer.CACHE_LIMIT + 1000; i++) fresh.encode("w" + Integer.toString(i, 36), CONTEXT);
    assertTrue(fresh.cachedPieces() <= Tokenizer.CACHE_LIMIT, "cache holds " + fresh.cachedPieces());
    assertArrayEquals(before, fresh.encode("zebra crossing", CONTEXT));
  }
}
