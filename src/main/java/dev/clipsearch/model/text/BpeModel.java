package dev.clipsearch.model.text;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * CLIP's byte-level BPE: the vocabulary file's merges, and the merge loop applied to one pre-split piece.
 *
 * <p>Vocabulary layout (as open_clip builds it): ids 0..255 are the 256 byte symbols, 256..511 the same symbols
 * with the end-of-word marker {@code </w>}, then one id per merge in rank order, then the start- and end-of-text
 * tokens. Symbols are handled as ids throughout: a merge of ids (a, b) has a rank, and produces the
 * id of the concatenated string, so no strings are built while encoding.
 */
final class BpeModel {
  /** open_clip reads lines 1 .. 49152-256-2 of the file (line 0 is a version header). */
  static final int MERGE_COUNT = 49152 - 256 - 2;
  private static final String END_OF_WORD = "</w>";
  /**
   * Pieces longer than this many bytes are merged with a heap, O(n log n), instead of open_clip's rescan per merge,
   * O(n^2): a 50,000-letter "word" in a query would otherwise cost about a second.
   */
  static final int LONG_PIECE = 64;

  /** Byte value -> id of its symbol (without {@code </w>}; add 256 for the word-final form). */
  private final int[] byteSymbol = new int[256];
  private final PairTable ranks;
  /** Merge rank -> id of the merged symbol. */
  private final int[] mergedSymbol;
  private final int vocabularySize;
  private final int startOfText;
  private final int endOfText;

  private BpeModel(InputStream gzipped) throws IOException {
    String[] symbolOfByte = byteSymbols();
    Map<String, Integer> encoder = new HashMap<>(1 << 17);
    int next = 0;
    // ids 0..255 follow the order of byteOrder(); byteSymbol maps the raw byte to that position
    int[] order = byteOrder();
    for (int pos = 0; pos < 256; pos++) {
      byteSymbol[order[pos]] = pos;
      encoder.put(symbolOfByte[order[pos]], next++);
    }
    for (int pos = 0; pos < 256; pos++) encoder.put(symbolOfByte[order[pos]] + END_OF_WORD, next++);

    ranks = new PairTable(MERGE_COUNT);
    mergedSymbol = new int[MERGE_COUNT];
    BufferedReader reader = new BufferedReader(
        new InputStreamReader(new GZIPInputStream(gzipped, 1 << 16), StandardCharsets.UTF_8), 1 << 16);
    reader.readLine(); // version header
    for (int rank = 0; rank < MERGE_COUNT; rank++) {
      String line = reader.readLine();
      if (line == null) throw new IOException("vocabulary has only " + rank + " merges, expected " + MERGE_COUNT);
      int space = line.indexOf(' ');
      if (space <= 0 || line.indexOf(' ', space + 1) >= 0) {
        throw new IOException("bad merge line " + (rank + 1) + ": " + line);
      }
      // merges only join symbols made before them, so both parts already have ids
      Integer left = encoder.get(line.substring(0, space));
      Integer right = encoder.get(line.substring(space + 1));
      if (left == null || right == null) {
        throw new IOException("merge " + (rank + 1) + " uses a symbol no earlier merge made: " + line);
      }
      ranks.put(left, right, rank);
      mergedSymbol[rank] = next;
      // open_clip's encoder is a dict over the vocabulary: a repeated string would shadow an id; CLIP has none
      if (encoder.put(line.substring(0, space) + line.substring(space + 1), next++) != null) {
        throw new IOException("merge " + (rank + 1) + " repeats a symbol: " + line);
      }
    }
    startOfText = next;
    encoder.put(TokenizerPreSplitter.START_OF_TEXT, next++);
    endOfText = next;
    encoder.put(TokenizerPreSplitter.END_OF_TEXT, next++);
    vocabularySize = next;
  }

  static BpeModel read(InputStream gzipped) throws IOException {
    return new BpeModel(gzipped);
  }

  int vocabularySize() {
    return vocabularySize;
  }

  int startOfText() {
    return startOfText;
  }

  int endOfText() {
    return endOfText;
  }

  /** Token ids of one pre-split piece. The special-token pieces map straight to their ids, as in OpenAI's CLIP. */
  int[] encodePiece(String piece) {
    return encodePiece(piece, false);
  }

  /**
   * As {@link #encodePiece(String)}; {@code alwaysHeap} forces the heap-based merge even for short pieces (tests
   * check that both merge orders agree).
   */
  int[] encodePiece(String piece, boolean alwaysHeap) {
    if (piece.equals(TokenizerPreSplitter.START_OF_TEXT)) return new int[] {startOfText};
    if (piece.equals(TokenizerPreSplitter.END_OF_TEXT)) return new int[] {endOfText};
    byte[] utf8 = piece.getBytes(StandardCharsets.UTF_8);
    int[] word = new int[utf8.length];
    for (int i = 0; i < utf8.length; i++) word[i] = byteSymbol[utf8[i] & 0xFF];
    word[word.length - 1] += 256; // the word-final form carries </w>
    if (alwaysHeap || word.length > LONG_PIECE) return mergeWithHeap(word);
    int length = mergeAll(word, word.length);
    return length == word.length ? word : Arrays.copyOf(word, length);
  }

  /**
   * Repeatedly merges the lowest-ranked adjacent pair, every non-overlapping occurrence from left to right, until
   * no adjacent pair has a rank. Works in place; returns the new length.
   */
  private int mergeAll(int[] word, int length) {
    while (length > 1) {
      int best = Integer.MAX_VALUE;
      int first = -1, second = -1;
      for (int i = 0; i + 1 < length; i++) {
        int rank = ranks.get(word[i], word[i + 1]);
        if (rank >= 0 && rank < best) {
          best = rank;
          first = word[i];
          second = word[i + 1];
        }
      }
      if (best == Integer.MAX_VALUE) break;
      int merged = mergedSymbol[best];
      int out = 0;
      for (int i = 0; i < length; ) {
        if (i + 1 < length && word[i] == first && word[i + 1] == second) {
          word[out++] = merged;
          i += 2;
        } else {
          word[out++] = word[i++];
        }
      }
      length = out;
    }
    return length;
  }

  /**
   * The same merges as {@link #mergeAll}, found through a heap of (rank, position) over a linked list of symbols.
   * Pairs of one rank come off the heap left to right, and a merge only creates pairs of higher rank (they contain
   * the symbol that rank made), so every rank is applied to its non-overlapping occurrences from the left, exactly
   * as the rescanning loop does. Stale heap entries (a symbol merged away or changed since) are skipped.
   */
  private int[] mergeWithHeap(int[] word) {
    int n = word.length;
    int[] next = new int[n];
    int[] prev = new int[n];
    boolean[] gone = new boolean[n];
    LongHeap heap = new LongHeap(n);
    for (int i = 0; i < n; i++) {
      next[i] = i + 1 < n ? i + 1 : -1;
      prev[i] = i - 1;
      if (i + 1 < n) pushPair(heap, word, i, i + 1);
    }
    while (!heap.isEmpty()) {
      long entry = heap.poll();
      int rank = (int) (entry >>> 32);
      int i = (int) entry;
      int j = gone[i] ? -1 : next[i];
      if (j < 0 || ranks.get(word[i], word[j]) != rank) continue; // stale
      word[i] = mergedSymbol[rank];
      gone[j] = true;
      next[i] = next[j];
      if (next[j] >= 0) prev[next[j]] = i;
      if (prev[i] >= 0) pushPair(heap, word, prev[i], i);
      if (next[i] >= 0) pushPair(heap, word, i, next[i]);
    }
    int[] out = new int[n];
    int length = 0;
    for (int i = 0; i >= 0; i = next[i]) out[length++] = word[i];
    return Arrays.copyOf(out, length);
  }

  private void pushPair(LongHeap heap, int[] word, int left, int right) {
    int rank = ranks.get(word[left], word[right]);
    if (rank >= 0) heap.add(((long) rank << 32) | left);
  }

  /** Binary min-heap of longs. */
  private static final class LongHeap {
    private long[] items;
    private int size;

    LongHeap(int capacity) {
      items = new long[Math.max(4, capacity)];
    }

    boolean isEmpty() {
      return size == 0;
    }

    void add(long item) {
      if (size == items.length) items = Arrays.copyOf(items, size * 2);
      int k = size++;
      while (k > 0) {
        int parent = (k - 1) >>> 1;
        if (items[parent] <= item) break;
        items[k] = items[parent];
        k = parent;
      }
      items[k] = item;
    }

    long poll() {
      long top = items[0];
      long last = items[--size];
      int k = 0;
      while (true) {
        int child = 2 * k + 1;
        if (child >= size) break;
        if (child + 1 < size && items[child + 1] < items[child]) child++;
        if (last <= items[child]) break;
        items[k] = items[child];
        k = child;
      }
      items[k] = last;
      return top;
    }
  }

  /**
   * GPT-2/CLIP byte order: printable Latin-1 bytes ('!'..'~', '¡'..'¬', '®'..'ÿ') first, standing for themselves,
   * then the 68 remaining bytes (controls, space, soft hyphen) in ascending order.
   */
  private static int[] byteOrder() {
    int[] order = new int[256];
    int n = 0;
    for (int b = 0; b < 256; b++) if (standsForItself(b)) order[n++] = b;
    for (int b = 0; b < 256; b++) if (!standsForItself(b)) order[n++] = b;
    return order;
  }

  /**
   * The one-character string each byte is written as in the vocabulary file: a printable Latin-1 byte is its own
   * character; the others are shifted to U+0100 onwards, in ascending byte order, so that the file holds no
   * whitespace or control characters.
   */
  private static String[] byteSymbols() {
    String[] symbols = new String[256];
    int shifted = 0;
    for (int b = 0; b < 256; b++) {
      symbols[b] = String.valueOf((char) (standsForItself(b) ? b : 256 + shifted++));
    }
    return symbols;
  }

  private static boolean standsForItself(int b) {
    return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
  }

  /** Open-addressing map from a symbol pair (two ids below 2^16) to its merge rank; -1 when absent. */
  private static final class PairTable {
    private final int[] keys;
    private final int[] values;
    private final int mask;

    PairTable(int expected) {
      int capacity = Integer.highestOneBit(Math.max(4, expected * 3)) << 1;
      keys = new int[capacity];
      values = new int[capacity];
      Arrays.fill(keys, -1);
      mask = capacity - 1;
    }

    void put(int left, int right, int value) {
      int key = (left << 16) | right;
      int slot = slot(key);
      while (keys[slot] != -1 && keys[slot] != key) slot = (slot + 1) & mask;
      keys[slot] = key;
      values[slot] = value;
    }

    int get(int left, int right) {
      int key = (left << 16) | right;
      for (int slot = slot(key); ; slot = (slot + 1) & mask) {
        int k = keys[slot];
        if (k == key) return values[slot];
        if (k == -1) return -1;
      }
    }

    private int slot(int key) {
      int h = key * 0x9E3779B9;
      return (h ^ (h >>> 15)) & mask;
    }
  }
}
