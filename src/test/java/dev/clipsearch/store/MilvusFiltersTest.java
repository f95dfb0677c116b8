package dev.clipsearch.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MilvusFiltersTest {
  /**
   * Reads the double-quoted literal at the start of {@code filter} the way Milvus Lite's tokenizer does
   * (milvus_lite/search/filter/tokens.py: escapes \" \' \\ \n \r \t; raw CR/LF or an unknown escape is an error).
   * Returns {value, index just after the closing quote}.
   */
  private static Object[] readLiteral(String filter) {
    if (filter.charAt(0) != '"') {
      throw new IllegalStateException("not a literal: " + filter);
    }
    StringBuilder out = new StringBuilder();
    for (int i = 1; i < filter.length(); i++) {
      char c = filter.charAt(i);
      if (c == '"') {
        return new Object[] {out.toString(), i + 1};
      }
      if (c == '\r' || c == '\n') {
        throw new IllegalStateException("raw line break in literal");
      }
      if (c == '\\') {
        char e = filter.charAt(++i);
        out.append(switch (e) {
          case '"', '\'', '\\' -> e;
          case 'n' -> '\n';
          case 'r' -> '\r';
          case 't' -> '\t';
          default -> throw new IllegalStateException("unknown escape \\" + e);
        });
      } else {
        out.append(c);
      }
    }
    throw new IllegalStateException("unterminated literal");
  }

  @Test
  void quotesPlainAndAwkwardValues() {
    assertEquals("\"/photos/a.jpg\"", MilvusFilters.quote("/photos/a.jpg"));
    assertEquals("\"say \\\"hi\\\"\"", MilvusFilters.quote("say \"hi\""));
    assertEquals("\"C:\\\\dir\\\\\"", MilvusFilters.quote("C:\\dir\\"));
    assertEquals("\"a\\nb\\rc\\td\"", MilvusFilters.quote("a\nb\rc\td"));
    assertEquals("\"it's ünïcödé 😀\"", MilvusFilters.quote("it's ünïcödé 😀"));
    assertEquals("\"\"", MilvusFilters.quote(""));
  }

  @Test
  void anyValueReadsBackWholeAndCannotEndItsLiteralEarly() {
    String alphabet = "\"\\'\n\r\t ab/.é日😀[]()=!&|";
    Random rnd = new Random(7);
    for (int n = 0; n < 5000; n++) {
      StringBuilder sb = new StringBuilder();
      for (int len = rnd.nextInt(12); len > 0; len--) {
        sb.appendCodePoint(alphabet.codePointAt(alphabet.offsetByCodePoints(0, rnd.nextInt(alphabet.codePointCount(0,
            alphabet.length())))));
      }
      String value = sb.toString();
      String quoted = MilvusFilters.quote(value);
      Object[] read = readLiteral(quoted + " or true");
      assertEquals(value, read[0]);
      assertEquals(quoted.length(), read[1], "the literal ends exactly where quote() ended it: " + quoted);
    }
  }

  @Test
  void buildsEqualityAndInFilters() {
    assertEquals("filepath == \"/a \\\"b\\\"\"", MilvusFilters.equalTo("filepath", "/a \"b\""));
    assertEquals("filepath in [\"/a\", \"/b\\\\c\"]", MilvusFilters.in("filepath", List.of("/a", "/b\\c")));
    assertThrows(IllegalArgumentException.class, () -> MilvusFilters.in("filepath", List.of()));
  }

  @Test
  void chunksKeepOrderAndBound() {
    assertEquals(List.of(List.of(1, 2), List.of(3, 4), List.of(5)), MilvusFilters.chunks(List.of(1, 2, 3, 4, 5), 2));
    assertEquals(List.of(List.of(1, 2)), MilvusFilters.chunks(List.of(1, 2), 2));
    assertEquals(List.of(), MilvusFilters.chunks(List.of(), 3));
  }
}
