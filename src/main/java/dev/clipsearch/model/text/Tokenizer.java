package dev.clipsearch.model.text;

import dev.clipsearch.model.ModelException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The OpenAI CLIP BPE tokenizer, giving the same token ids as open_clip 3.3.0's {@code SimpleTokenizer} /
 * {@code open_clip.tokenize} with the defaults ViT-B/32 uses (vocabulary {@code bpe_simple_vocab_16e6},
 * {@code clean='lower'}, no reduction mask).
 *
 * <p>Steps, each in its own class: cleaning ({@link TextCleaner}: ftfy's fixes, {@code html.unescape} twice,
 * whitespace collapse, lower case), the pre-split into words, numbers and punctuation runs
 * ({@link TokenizerPreSplitter}), and byte-level BPE on each piece ({@link BpeModel}). The ids are wrapped as
 * {@code [SOT, ..., EOT]}; longer than the context length, they are cut and EOT put in the last place.
 *
 * <p>Parity: identical ids on all 701 lines of the open_clip corpus but one documented exception, and on 50,000
 * random texts (scripts, symbols, controls, HTML, mojibake made in 14 encodings) compared during development. Where
 * it can still differ, all from Java 17's Unicode 13 tables against Python 3.11's Unicode 14 (and the regex
 * module's newer ones):
 * <ul>
 *   <li>Letters and numbers added after Unicode 13 are classed by a table, and those with a lower case are
 *       lowered by one, but other properties of such code points are Java's: e.g. U+10570 U+03A3 (Vithkuqi
 *       capital A, Unicode 14, then capital sigma) lowers to U+10597 U+03C2 in Python (the sigma follows a cased
 *       letter, so it is final) and to U+10597 U+03C3 here. NFC and NFKC of such
 *       code points follow Java's tables too.</li>
 *   <li>ftfy's mojibake heuristic reads Python's {@code \w}; for letters newer than Unicode 14 Java says "word"
 *       where Python does not, which cannot change the output (such text has no single-byte encoding to be
 *       re-decoded from).</li>
 * </ul>
 *
 * <p>Thread-safe. The per-piece cache (open_clip keeps an unbounded one) is bounded: when it is full it is emptied.
 */
public final class Tokenizer {
  public static final int SOT = 49406, EOT = 49407;
  /** Classpath location of the CLIP vocabulary (merges), gzip-compressed as open_clip ships it. */
  public static final String VOCABULARY_RESOURCE = "/clip/bpe_simple_vocab_16e6.txt.gz";
  /** Most pieces the cache holds; typical queries reuse a few thousand words. */
  static final int CACHE_LIMIT = 100_000;

  private static volatile Tokenizer shared;

  private final BpeModel bpe;
  private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>(1024);

  private Tokenizer(BpeModel bpe) {
    this.bpe = bpe;
    if (bpe.startOfText() != SOT || bpe.endOfText() != EOT) {
      throw new ModelException("vocabulary gives special tokens " + bpe.startOfText() + "/" + bpe.endOfText()
          + ", expected " + SOT + "/" + EOT);
    }
  }

  /**
   * The shared tokenizer, loaded from the classpath on first use (vocabulary and cleaning tables together, a few
   * hundred milliseconds in a cold JVM).
   */
  public static Tokenizer load() {
    Tokenizer tokenizer = shared;
    if (tokenizer == null) {
      synchronized (Tokenizer.class) {
        tokenizer = shared;
        if (tokenizer == null) shared = tokenizer = readFromClasspath(); // a failure throws, and the next call retries
      }
    }
    return tokenizer;
  }

  /** A tokenizer over a vocabulary read from {@code gzipped} (the same format as the classpath one). */
  static Tokenizer read(InputStream gzipped) throws IOException {
    return new Tokenizer(BpeModel.read(gzipped));
  }

  /**
   * {@code [SOT, ids of text..., EOT]}, not padded. When that is longer than {@code contextLength}, the first
   * {@code contextLength} ids are kept and the last of them replaced by EOT.
   */
  public int[] encode(String text, int contextLength) {
    Objects.requireNonNull(text, "text");
    if (contextLength < 1) throw new IllegalArgumentException("contextLength must be positive: " + contextLength);
    IntList ids = new IntList(Math.min(contextLength + 1, 32));
    ids.add(SOT);
    TokenizerPreSplitter.split(TextCleaner.clean(text), piece -> {
      ids.addAll(encodePiece(piece));
      // once contextLength ids are there, the cut result is fixed: later pieces cannot change it
      return ids.size < contextLength;
    });
    if (ids.size >= contextLength) {
      int[] cut = Arrays.copyOf(ids.values, contextLength);
      cut[contextLength - 1] = EOT;
      return cut;
    }
    ids.add(EOT);
    return Arrays.copyOf(ids.values, ids.size);
  }

  /** {@code ids} followed by zeros, {@code length} in all, as the int64 tensor row the text tower takes. */
  public static long[] pad(int[] ids, int length) {
    if (ids.length > length) {
      throw new IllegalArgumentException(ids.length + " ids do not fit in length " + length);
    }
    long[] row = new long[length];
    for (int i = 0; i < ids.length; i++) row[i] = ids[i];
    return row;
  }

  /** Vocabulary size, 49408 for CLIP. */
  public int vocabularySize() {
    return bpe.vocabularySize();
  }

  /** Pieces in the cache now (for tests). */
  int cachedPieces() {
    return cache.size();
  }

  private int[] encodePiece(String piece) {
    int[] cached = cache.get(piece);
    if (cached != null) return cached;
    int[] ids = bpe.encodePiece(piece);
    if (cache.size() >= CACHE_LIMIT) cache.clear();
    cache.put(piece, ids);
    return ids;
  }

  private static Tokenizer readFromClasspath() {
    try (InputStream in = Tokenizer.class.getResourceAsStream(VOCABULARY_RESOURCE)) {
      if (in == null) {
        throw new ModelException("CLIP vocabulary " + VOCABULARY_RESOURCE
            + " is not on the classpath (src/scripts/setup.sh fetches it into .cache/generated-resources)");
      }
      Tokenizer tokenizer = read(in);
      // builds the cleaner's tables now (HTML entities, ftfy's sets), so the first query does not pay for them
      tokenizer.encode("caf\u00c3\u00a9 &amp; \u201cwarm\u201d \uff21", 16);
      return tokenizer;
    } catch (IOException e) {
      throw new ModelException("cannot read the CLIP vocabulary " + VOCABULARY_RESOURCE, e);
    }
  }

  /** Growable int array; the cached per-piece arrays are copied in, never handed out. */
  private static final class IntList {
    int[] values;
    int size;

    IntList(int capacity) {
      values = new int[capacity];
    }

    void add(int value) {
      if (size == values.length) values = Arrays.copyOf(values, size * 2);
      values[size++] = value;
    }

    void addAll(int[] more) {
      if (size + more.length > values.length) values = Arrays.copyOf(values, Math.max(size * 2, size + more.length));
      System.arraycopy(more, 0, values, size, more.length);
      size += more.length;
    }
  }
}
