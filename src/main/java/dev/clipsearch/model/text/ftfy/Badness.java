package dev.clipsearch.model.text.ftfy;

import dev.clipsearch.model.text.unicode.PythonCharClass;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * ftfy's {@code is_bad}: does the text contain a sequence that is far more likely mojibake than real text?
 *
 * <p>Not java.util.regex: ftfy's sets are large unions of scattered code points, and a java.util.regex class over
 * hundreds of ranges tests them one by one (about 200 µs for a short query). Here each set is a bit set over the
 * BMP, built once, and the rules are matched position by position.
 */
final class Badness {
  /**
   * ftfy's badness rules (its BADNESS_RE, one alternative per entry): sequences that are rare in real text and common
   * in mojibake. Syntax: {@code [...]} a set of code points, with {@code {name}} for a named ftfy set ({@code space}
   * is Python's whitespace, {@code word} Python's \\w), ranges and a leading '^' for the complement; {@code ?} after
   * a set makes it optional; a leading {@code ^} anchors the rule at the start of the text; any other character
   * stands for itself.
   */
  private static final String[] BADNESS_RULES = {
    "[{c1}]",
    "[{bad}{lower_accented}{upper_accented}{box}{start_punctuation}{end_punctuation}{currency}{numeric}{law}][{bad}]",
    "[a-zA-Z][{lower_common}{upper_common}][{bad}]",
    "[{bad}][{lower_accented}{upper_accented}{box}{start_punctuation}{end_punctuation}{currency}{numeric}{law}]",
    "[{lower_accented}{lower_common}{box}{end_punctuation}{currency}{numeric}][{upper_accented}]",
    "[{box}{end_punctuation}{currency}{numeric}][{lower_accented}]",
    "[{lower_accented}{box}{end_punctuation}][{currency}]",
    "[{space}][{upper_accented}][{currency}]",
    "[{upper_accented}{box}][{numeric}{law}]",
    "[{lower_accented}{upper_accented}{box}{currency}{end_punctuation}][{start_punctuation}][{numeric}]",
    "[{lower_accented}{upper_accented}{currency}{numeric}{box}{law}][{end_punctuation}][{start_punctuation}]",
    "[{currency}{numeric}{box}][{start_punctuation}]",
    "[a-z][{upper_accented}][{start_punctuation}{currency}]",
    "[{box}][{kaomoji}]",
    "[{lower_accented}{upper_accented}{currency}{numeric}{start_punctuation}{end_punctuation}{law}][{box}]",
    "[{box}][{end_punctuation}]",
    "[{lower_accented}{upper_accented}][{start_punctuation}{end_punctuation}][{word}]",
    // the ligature œ not followed by an unaccented Latin letter
    "[\u0152\u0153][^A-Za-z]",
    // degree sign after a capital letter
    "[{upper_accented}]\u00b0",
    // common windows-1252 two-character mojibake the rules above miss
    "[\u00c2\u00c3\u00ce\u00d0][\u20ac\u0153\u0160\u0161\u00a2\u00a3\u0178\u017e\u00a0\u00ad\u00ae\u00a9\u00b0\u00b7\u00bb"
        + "{start_punctuation}{end_punctuation}\u2013\u2014\u00b4]",
    "\u00d7[\u00b2\u00b3]",
    // windows-1252 mojibake of Arabic: four characters, since the 'common' set is involved
    "[\u00d8\u00d9][{common}{currency}{bad}{numeric}{start_punctuation}\u0178\u0160\u00ae\u00b0\u00b5\u00bb]"
        + "[\u00d8\u00d9][{common}{currency}{bad}{numeric}{start_punctuation}\u0178\u0160\u00ae\u00b0\u00b5\u00bb]",
    // windows-1252 start of three-byte sequences of South Asian scripts
    "\u00e0[\u00b2\u00b5\u00b9\u00bc\u00bd\u00be]",
    // MacRoman mojibake
    "\u221a[\u00b1\u2202\u2020\u2260\u00ae\u2122\u00b4\u2264\u2265\u00a5\u00b5\u00f8]",
    "\u2248[\u00b0\u00a2]",
    "\u201a\u00c4[\u00ec\u00ee\u00ef\u00f2\u00f4\u00fa\u00f9\u00fb\u2020\u00b0\u00a2\u03c0]",
    "\u201a[\u00e2\u00f3][\u00e0\u00e4\u00b0\u00ea]",
    // windows-1251 mojibake: the U+2000 block, and three-character Latin-1/Cyrillic sequences
    "\u0432\u0402",
    "[\u0412\u0413\u0420\u0421][{c1}{bad}{start_punctuation}{end_punctuation}{currency}\u00b0\u00b5]"
        + "[\u0412\u0413\u0420\u0421]",
    "\u0413\u045e\u0412\u0402\u0412[^\n][A-Za-z ]",
    // windows-1252 forms of 'à', 'á' and NBSP itself
    "\u00c3[\u00a0\u00a1]",
    "[a-z][{space}]?[\u00c3\u00c2][ ]",
    "^[\u00c3\u00c2][ ]",
    // Â standing before a character as the encoding of that very character
    "[a-z.,?!{end_punctuation}]\u00c2[ {start_punctuation}{end_punctuation}]",
    // windows-1253 mojibake: the U+2000 block, and Latin-1/Greek sequences
    "\u03b2\u20ac[\u2122\u00a0\u0386\u00ad\u00ae\u00b0]",
    "[\u0392\u0393\u039e\u039f][{c1}{bad}{start_punctuation}{end_punctuation}{currency}\u00b0][\u0392\u0393\u039e\u039f]",
    // windows-1257 mojibake of the U+2000 block
    "\u0101\u20ac",
  };

  private static final Rule[] RULES;
  /**
   * For each BMP character, the rules (bit r for rule r) whose first set holds it, as an index into
   * {@link #FIRST_MASKS}: most characters start no rule, so most positions are skipped at once.
   */
  private static final char[] FIRST_INDEX = new char[0x10000];
  private static final long[] FIRST_MASKS;

  static {
    Map<String, CodePointSet> sets = new HashMap<>();
    RULES = new Rule[BADNESS_RULES.length];
    if (RULES.length > 64) throw new IllegalStateException("rule masks hold 64 rules");
    for (int r = 0; r < RULES.length; r++) RULES[r] = Rule.parse(BADNESS_RULES[r], sets);
    long[] maskOf = new long[0x10000];
    for (int r = 0; r < RULES.length; r++) {
      BitSet first = RULES[r].sets[0].bmp;
      for (int cp = first.nextSetBit(0); cp >= 0; cp = first.nextSetBit(cp + 1)) maskOf[cp] |= 1L << r;
    }
    Map<Long, Character> indexOfMask = new HashMap<>();
    List<Long> masks = new ArrayList<>();
    masks.add(0L);
    indexOfMask.put(0L, (char) 0);
    for (int cp = 0; cp < 0x10000; cp++) {
      if (maskOf[cp] == 0) continue;
      Character index = indexOfMask.get(maskOf[cp]);
      if (index == null) {
        index = (char) masks.size();
        masks.add(maskOf[cp]);
        indexOfMask.put(maskOf[cp], index);
      }
      FIRST_INDEX[cp] = index;
    }
    FIRST_MASKS = masks.stream().mapToLong(Long::longValue).toArray();
  }

  private Badness() {}

  static boolean isBad(String text) {
    int[] cps = text.codePoints().toArray();
    for (int start = 0; start < cps.length; start++) {
      int cp = cps[start];
      if (cp >= 0x10000) continue; // no rule starts with a character beyond the BMP
      for (long mask = FIRST_MASKS[FIRST_INDEX[cp]]; mask != 0; mask &= mask - 1) {
        if (RULES[Long.numberOfTrailingZeros(mask)].matchesAt(cps, start)) return true;
      }
    }
    return false;
  }

  /** A sequence of sets, some optional, maybe anchored at the start. */
  private static final class Rule {
    final boolean anchored;
    final CodePointSet[] sets;
    final boolean[] optional;

    Rule(boolean anchored, List<CodePointSet> sets, List<Boolean> optional) {
      if (optional.get(0) || sets.get(0).negated || sets.get(0).word) {
        throw new IllegalStateException("a rule must start with a plain, required set (isBad indexes them)");
      }
      this.anchored = anchored;
      this.sets = sets.toArray(new CodePointSet[0]);
      this.optional = new boolean[optional.size()];
      for (int i = 0; i < this.optional.length; i++) this.optional[i] = optional.get(i);
    }

    boolean matchesAt(int[] cps, int start) {
      if (anchored && start != 0) return false;
      return matchFrom(cps, start, 0);
    }

    private boolean matchFrom(int[] cps, int pos, int item) {
      if (item == sets.length) return true;
      if (pos < cps.length && sets[item].contains(cps[pos]) && matchFrom(cps, pos + 1, item + 1)) return true;
      return optional[item] && matchFrom(cps, pos, item + 1);
    }

    static Rule parse(String spec, Map<String, CodePointSet> cache) {
      boolean anchored = spec.startsWith("^");
      List<CodePointSet> sets = new ArrayList<>();
      List<Boolean> optional = new ArrayList<>();
      for (int i = anchored ? 1 : 0; i < spec.length(); ) {
        String setSpec;
        if (spec.charAt(i) == '[') {
          int close = spec.indexOf(']', i + 2); // a set is never empty, so ']' right after '[' would be a member
          setSpec = spec.substring(i, close + 1);
          i = close + 1;
        } else {
          setSpec = spec.substring(i, i + 1);
          i++;
        }
        sets.add(cache.computeIfAbsent(setSpec, CodePointSet::parse));
        boolean opt = i < spec.length() && spec.charAt(i) == '?';
        if (opt) i++;
        optional.add(opt);
      }
      return new Rule(anchored, sets, optional);
    }
  }

  /** A set of code points: a bit set over the BMP; beyond it only complements and Python's \\w can match. */
  private static final class CodePointSet {
    final BitSet bmp = new BitSet(0x10000);
    boolean negated;
    boolean word;

    boolean contains(int cp) {
      if (cp < 0x10000) return bmp.get(cp);
      return negated != (word && isPythonWordChar(cp));
    }

    static CodePointSet parse(String spec) {
      CodePointSet set = new CodePointSet();
      if (!spec.startsWith("[")) {
        set.bmp.set(spec.charAt(0));
        return set;
      }
      String body = spec.substring(1, spec.length() - 1);
      int i = 0;
      if (body.startsWith("^")) {
        set.negated = true;
        i = 1;
      }
      while (i < body.length()) {
        char c = body.charAt(i);
        if (c == '{') {
          int close = body.indexOf('}', i);
          set.addNamed(body.substring(i + 1, close));
          i = close + 1;
        } else if (i + 2 < body.length() && body.charAt(i + 1) == '-') {
          set.bmp.set(c, body.charAt(i + 2) + 1);
          i += 3;
        } else {
          set.bmp.set(c);
          i++;
        }
      }
      if (set.negated) set.bmp.flip(0, 0x10000);
      return set;
    }

    private void addNamed(String name) {
      if (name.equals("space")) {
        for (int cp = 0; cp < 0x10000; cp++) if (PythonCharClass.isPythonSpace(cp)) bmp.set(cp);
      } else if (name.equals("word")) {
        word = true;
        for (int cp = 0; cp < 0x10000; cp++) if (isPythonWordChar(cp)) bmp.set(cp);
      } else {
        int[] ranges = FtfyTables.ranges(name);
        for (int k = 0; k < ranges.length; k += 2) bmp.set(ranges[k], ranges[k + 1] + 1);
      }
    }
  }

  /** Python's \\w on str: letters, numbers (decimal, digit and numeric) and '_'. */
  static boolean isPythonWordChar(int cp) {
    byte kind = PythonCharClass.of(cp);
    return cp == '_' || kind == PythonCharClass.LETTER || kind == PythonCharClass.NUMBER;
  }
}
