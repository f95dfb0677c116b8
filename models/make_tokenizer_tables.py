#!/usr/bin/env python3
"""Writes the two data tables the Java tokenizer needs and the JDK does not have.

1. html5_entities.tsv: the WHATWG named character references, as Python's
   `html.entities.html5` holds them (open_clip calls `html.unescape`, and ftfy
   builds its own entity table from the same dict). One line per name:
   `name<TAB>code points in hex, space separated`. Names keep their trailing ';'
   where the standard has one; the legacy names without ';' are listed too.

2. tokenizer_unicode_extra.tsv: code point ranges that the `regex` module
   (used by open_clip's pre-split pattern) classes as \\p{L} or \\p{N} but that
   Java 17's Character (Unicode 13) sees as unassigned. Without them a letter
   added in Unicode 14+ would be split as punctuation in Java. One line per
   range: `L|N<TAB>first hex<TAB>last hex`. Also the lower case of those code points where Python's str.lower()
   (Unicode 14 in Python 3.11) changes them: `lower<TAB>hex<TAB>hex code points of the lower case`.

3. tokenizer_ftfy_tables.tsv: the data behind ftfy's mojibake repair (fix_encoding), which open_clip's cleaning
   runs: for each single-byte encoding ftfy tries, the character of every byte (ftfy's "sloppy" codecs fill
   undefined bytes with the Latin-1 character and read byte 0x1A as U+FFFD); and each named character set its
   badness heuristic and UTF-8 detector use, expanded to code point ranges. Lines:
   `charset<TAB>name<TAB>256 hex code points` and `class<TAB>name<TAB>first-last ...`.

Run with a Python that has the `regex` version open_clip uses:
  .cache/refvenv/bin/python models/make_tokenizer_tables.py
Needs Java on PATH to ask which code points Java 17 considers unassigned.
"""
import html.entities
import os
import re
import subprocess
import tempfile

import regex

import ftfy
import ftfy.bad_codecs  # registers the sloppy-* and utf-8-variants codecs
from ftfy import badness, chardata

RESOURCES = os.path.join(os.path.dirname(__file__), "..", "src", "main", "resources", "dev", "clipsearch", "model", "text")
FTFY_DIR = os.path.join(RESOURCES, "ftfy")  # read by dev.clipsearch.model.text.ftfy
UNICODE_DIR = os.path.join(RESOURCES, "unicode")  # read by dev.clipsearch.model.text.unicode

JAVA_UNASSIGNED_PROBE = """
public class Probe {
  public static void main(String[] a) {
    StringBuilder sb = new StringBuilder();
    for (int cp = 0; cp <= 0x10FFFF; cp++)
      if (Character.getType(cp) == Character.UNASSIGNED) sb.append(Integer.toHexString(cp)).append('\\n');
    System.out.print(sb);
  }
}
"""


def write_entities():
    path = os.path.join(FTFY_DIR, "html5_entities.tsv")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for name in sorted(html.entities.html5):
            cps = " ".join(f"{ord(c):x}" for c in html.entities.html5[name])
            f.write(f"{name}\t{cps}\n")
    print("wrote", path, len(html.entities.html5), "entities")


def java_unassigned():
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "Probe.java")
        with open(src, "w") as f:
            f.write(JAVA_UNASSIGNED_PROBE)
        out = subprocess.run(["java", src], check=True, capture_output=True, text=True).stdout
    return {int(h, 16) for h in out.split()}


def ranges(code_points):
    result = []
    for cp in sorted(code_points):
        if result and result[-1][1] == cp - 1:
            result[-1][1] = cp
        else:
            result.append([cp, cp])
    return result


def write_unicode_extra():
    letter = regex.compile(r"[\p{L}]", regex.IGNORECASE)
    number = regex.compile(r"[\p{N}]", regex.IGNORECASE)
    unassigned_in_java = java_unassigned()
    letters = {cp for cp in unassigned_in_java if not 0xD800 <= cp <= 0xDFFF and letter.match(chr(cp))}
    numbers = {cp for cp in unassigned_in_java if not 0xD800 <= cp <= 0xDFFF and number.match(chr(cp))}
    path = os.path.join(UNICODE_DIR, "tokenizer_unicode_extra.tsv")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(f"# regex {regex.__version__}: \\p{{L}} / \\p{{N}} code points unassigned in Java 17\n")
        for kind, cps in (("L", letters), ("N", numbers)):
            for first, last in ranges(cps):
                f.write(f"{kind}\t{first:x}\t{last:x}\n")
        lowered = 0
        for cp in sorted(unassigned_in_java):
            if 0xD800 <= cp <= 0xDFFF or chr(cp).lower() == chr(cp):
                continue
            f.write(f"lower\t{cp:x}\t" + " ".join(f"{ord(c):x}" for c in chr(cp).lower()) + "\n")
            lowered += 1
    print("wrote", path, len(letters), "letters", len(numbers), "numbers", lowered, "lower-case mappings")


def expand_class(chars):
    """All BMP code points a regex character class built from an ftfy category string matches."""
    cls = re.compile("[" + chars + "]")
    return [cp for cp in range(0x10000) if not 0xD800 <= cp <= 0xDFFF and cls.match(chr(cp))]


def write_ftfy_tables():
    path = os.path.join(FTFY_DIR, "tokenizer_ftfy_tables.tsv")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(f"# ftfy {ftfy.__version__}: single-byte encodings tried by fix_encoding, and its character classes\n")
        for encoding in chardata.CHARMAP_ENCODINGS:
            chars = bytes(range(256)).decode(encoding)
            assert len(set(chars)) == 256, encoding + " maps two bytes to one character"
            assert bytes(range(256)) == chars.encode(encoding), encoding + " does not round-trip"
            f.write(f"charset\t{encoding}\t" + " ".join(f"{ord(c):x}" for c in chars) + "\n")
        classes = dict(badness.MOJIBAKE_CATEGORIES)
        classes.update(chardata.UTF8_CLUES)
        for name, chars in classes.items():
            cps = expand_class(chars)
            spans = " ".join(f"{a:x}-{b:x}" for a, b in ranges(cps))
            f.write(f"class\t{name}\t{spans}\n")
    print("wrote", path)


if __name__ == "__main__":
    os.makedirs(FTFY_DIR, exist_ok=True)
    os.makedirs(UNICODE_DIR, exist_ok=True)
    write_entities()
    write_unicode_extra()
    write_ftfy_tables()
