#!/usr/bin/env python3
"""Writes src/test/resources/fixtures/tokens/open_clip_tokens.jsonl: token ids from open_clip's own tokenizer.

The Java tokenizer (dev.clipsearch.model.text.Tokenizer) must give the same ids; TokenizerParityTest checks every line.
Line 1 is {"meta": {...}} with the versions that made the file; every other line is
  {"text": ..., "context_length": N, "ids": [...]}
where ids is open_clip.tokenize(text, N)[0] without its zero padding (the row cut at
min(len(encode(text)) + 2, N), so a real '!' token, id 0, is never taken for padding).

Run with the reference venv (open_clip_torch 3.3.0, ftfy, regex):
  .cache/refvenv/bin/python models/make_token_fixtures.py
"""
import json
import os
import random
import sys

import ftfy
import open_clip
import regex
from open_clip import tokenizer as oc_tokenizer

OUT = os.path.join(os.path.dirname(__file__), "..", "src", "test", "resources", "fixtures", "tokens",
                   "open_clip_tokens.jsonl")
CONTEXT = 77

PROMPTS = [
    "a diagram", "a photo of a dog", "a photo of a cat", "A Photo Of A Cat", "a dog playing in the snow",
    "two people riding bicycles on a city street at night", "sunset over the ocean with palm trees",
    "a bowl of ramen with chopsticks", "an astronaut riding a horse on the moon", "black and white photo of a bridge",
    "close-up of a red rose with water droplets", "the Eiffel Tower in Paris", "a red car parked near a tree",
    "children playing football in a park", "mountains covered with snow", "a cup of coffee on a wooden table",
    "aerial view of New York City", "a cute puppy", "pizza", "CAT", "iPhone 15 Pro Max", "DSLR photo, 50mm, f/1.8",
    "a painting in the style of Van Gogh", "kitchen interior, modern, minimalist", "low-poly 3D render of a fox",
    "watercolor illustration of a lighthouse", "screenshot of a spreadsheet", "x", "a", "I",
    "the quick brown fox jumps over the lazy dog", "THE QUICK BROWN FOX JUMPS OVER THE LAZY DOG",
    "supercalifragilisticexpialidocious", "pneumonoultramicroscopicsilicovolcanoconiosis",
    "antidisestablishmentarianism", "photosynthesis", "tyrannosaurus rex skeleton", "covid-19 vaccine",
    "machine learning", "xkcd comic", "qwertyuiop asdfghjkl zxcvbnm", "zzzzzzzz", "aaaaaaaaaaaaaaaaaaaa",
    "abababababababab", "snake_case_identifier", "camelCaseIdentifier", "kebab-case-identifier",
]

PUNCTUATION = [
    "don't", "Don't", "DON'T", "it's", "IT'S", "i'm", "they're", "we've", "you'll", "he'd", "y'all", "rock'n'roll",
    "'s", "'t", "'re", "''", "'", "'''s", "?'s", "it's's", "o'clock", "ma'am", "'hello'", "\"hello\"", "...", "?!?!",
    "!!!", "!", "! ! !", "c++", "c#", "a.b.c", "e-mail", "#hashtag", "@user", "http://example.com/a?b=c&d=e",
    "https://www.example.org/path/to/image.jpg", "user@example.com", "$100", "50%", "3.14159", "1,000,000",
    "2024-01-01", "12:30pm", "(parentheses) [brackets] {braces}", "a/b\\c|d", "~`^*_+=", "<>", "<b>bold</b>",
    "a<start_of_text>b", "<start_of_text>", "<end_of_text>", "<START_OF_TEXT>", "!<start_of_text>", "<<end_of_text>",
    "x <end_of_text> y <start_of_text> z", "<start_of_text", "start_of_text", "it'\u017f", "<\u017ftart_of_text>",
    "don'\u017ft", "--", "—", "–", "•", "…", "§¶†‡", "©®™", "°C", "±×÷", "≤≥≠≈∞", "→←↑↓", "★☆♥♦", "¿Qué?", "¡Hola!",
]

DIGITS = [
    "1234567890", "0", "00", "007", "3.0", "1e10", "٣٤٥", "۱۲۳", "१२३", "১২৩", "๑๒๓", "①②③", "½ ¼ ¾", "Ⅻ", "ⅻ",
    "x²+y³", "H₂O", "𝟙𝟚𝟛", "𝟏𝟐𝟑", "mp3", "4k", "1080p", "2nd 3rd 4th",
]

ACCENTS = [
    "café", "naïve", "Crème brûlée", "façade", "cafe\u0301", "e\u0301", "Ångström", "A\u030angstro\u0308m",
    "İstanbul", "ıi", "ΣΊΣΥΦΟΣ", "ὈΔΥΣΣΕΎΣ", "Σ", "ΑΣ Σ", "ΑΣ.", "straße", "STRASSE", "ẞ", "Tiếng Việt",
    "Zażółć gęślą jaźń", "Ærøskøbing", "Þórr", "Œuvre", "ĳ", "Đà Nẵng", "ǅ", "ǈ", "ǋ", "ǲ", "ῼ", "ᾳ", "α\u0345",
    "a\u0345b", "\u0345", "ŉ", "ΐ", "ﬅ", "N\u3022\u03a3\U00018156", "\u1ff3\U000e006a\u03a3", "ΑΣ-Β", "ΑΣ'Β", "Σ",
    "ΟΔΥΣΣΕΥΣ.", "ΑΣ\u0301", "Α\u0301Σ", "K Kelvin", "Å angstrom sign", "Ω ohm sign", "µ micro",
]

SCRIPTS = [
    "一只猫在沙发上", "猫が好きです", "カタカナ", "ひらがな", "ｶﾀｶﾅ", "ﾊﾟﾋﾟﾌﾟ", "고양이", "\u1100\u1161\u11a8",
    "قطة على الأريكة", "مرحبا بالعالم", "חתול על הספה", "שָׁלוֹם", "گربه", "बिल्ली सोफे पर", "हिन्दी", "แมวบนโซฟา",
    "кошка на диване", "Кошка", "ΚΑΛΗΜΕΡΑ", "Καλημέρα", "Բարեւ", "გამარჯობა", "ሰላም", "வணக்கம்", "ಕನ್ನಡ", "ꦗꦮ",
    "𐌰𐌱𐌲", "𓀀𓀁", "ᚠᚢᚦ", "ⴰⵣⵓⵍ", "ꆈꌠ", "ᓀᐦᐃᔭᐍᐏᐣ", "𠀋𠀍", "龘", "〇", "々", "ー", "ㄅㄆㄇ", "繁體中文",
    "Mixed 中文 and English", "日本語とEnglish", "Россия2024", "abcабвαβγ",
]

EMOJI = [
    "🐱", "🐶🐱", "a 🐱 cat", "👍", "👍🏽", "👨‍👩‍👧", "🇫🇷", "🇯🇵🇺🇸", "🏳️‍🌈", "❤️", "❤", "1️⃣", "🏴󠁧󠁢󠁳󠁣󠁴󠁿",
    "😀😃😄", "I ❤️ NY", "☕️", "🤷‍♂️", "🧑🏿‍💻", "©️", "🀄", "🂡", "♻", "✔ done", "✨new✨",
]

HTML = [
    "&amp;", "&lt;b&gt;", "&amp;amp;", "&amp;amp;amp;", "&amp;amp;amp;amp;", "&eacute;", "&EACUTE;", "&Eacute;",
    "caf&eacute;", "&nbsp;", "a&nbsp;b", "&NBSP;", "&#39;", "&#x27;", "&#X27;", "&#8217;", "&#128512;", "&#0;",
    "&#128;", "&#150;", "&#129;", "&#xD800;", "&#1114112;", "&#99999999999999999999;", "&#13;", "&#1;", "&#127;",
    "&#xFFFE;", "&#65;&#66;", "&#65", "&#x41", "&notit;", "&notin;", "&amp", "&ampx", "&copy2024", "&copy", "&;",
    "&#;", "&#x;", "&hellip;", "&mdash;", "&ldquo;x&rdquo;", "&ldquo;x&rdquo; <b>", "<p>&ldquo;x&rdquo;</p>",
    "&amp;\n<b>&amp;", "<b>\n&ldquo;x&rdquo;", "&ldquo;x&rdquo;\n<b>", "&SZLIG;", "&szlig;", "&frac12;",
    "&FRAC12;", "&NotEqualTilde;", "&abcdefghijklmnopqrstuvwxy;", "&abcdefghijklmnopqrstuvwx;", "&lt", "&LT;",
    "&Lt;", "&quot;quoted&quot;", "Tom &amp; Jerry", "AT&T", "R&D", "fish & chips", "&&&", "&apos;s", "&#x1F600;",
    "&rarr; &larr;", "&euro;100", "&pound;", "&yen;", "&times;", "&lsquo;x&rsquo;", "&#8220;x&#8221;",
    "&fjlig;", "&ThickSpace;", "&thinsp;", "&zwj;", "&shy;", "&Ampersand;",
]

QUOTES = [
    "“Hello” ‘world’", "it’s", "it‘s", "don\u02bct", "‛‟", "«guillemets»", "„German“", "‹›", "″quotes″",
    "\u2018s", "I\u2019M", "‘’“”", "＂fullwidth＂", "＇",
]

LIGATURES = ["ﬁsh ﬂower", "ﬃ", "ﬄ", "ﬀ", "ﬆ", "ĳs", "ǆ", "Ǆ", "ǉ", "ǌ", "ŉ", "æ", "œ"]

WIDTH = [
    "ＬＯＵＤ　ＮＯＩＳＥＳ", "１２３", "！？", "ｈｔｔｐ", "ﾊﾟﾝ", "￥", "￦", "￠", "￡", "￣", "｡｢｣", "ﾞ", "ￂ",
    "full　width　space", "Ａ", "ｚ",
]

INVISIBLE = [
    "a\u200bb", "a\u200cb", "a\u200db", "\ufeffbom", "a\ufeff", "a\u00adb", "a\u2060b", "a\u206ab", "a\ufff9b",
    "a\ufffcb", "\u0301", "Z\u0351\u0302\u0315a\u0360\u0352l\u0357\u0303g\u0305o", "a\u034fb", "\u200e", "\u200f",
    "a\u202eb", "a\u180eb", "\ufe0f", "a\ufe0fb", "\U000e0061", "\u2061", "\u115f", "\u3164",
]

CONTROLS = [
    "a\x00b", "a\x07b", "a\x0bb", "a\x0cb", "\x1b[31mred\x1b[0m", "\x1b[1;32mgreen", "\x1b[", "\x1b[12", "a\x1bb",
    "\x1b[\u0663m", "a\x1cb", "a\x1fb", "a\x7fb", "a\u0085b", "a\u2028b", "a\u2029b", "a\r\nb", "a\rb", "a\r\r\nb",
    "a\x80b", "a\x9db", "a\x81b", "a\x96b", "\x93quoted\x94", "tab\tsep", "a\u00a0b", "\u3000", "a\u2003b",
    "a\u205fb", "a\u1680b", "a\u202fb", "line1\nline2\n", "\n\n\nx\n\n", "a\ud800b", "\udc00", "a\ud83d\ude00b",
]

MOJIBAKE = [
    "cafÃ©", "Ã©tÃ©", "â€œquotedâ€\x9d", "donâ€™t", "âœ” No problems", "sÃ³", "voilÃ le travail", "Ã¼ber",
    "ÐºÐ¾ÑˆÐºÐ°", "æ—¥æœ¬", "&macr;\\_(ã\x83\x84)_/&macr;", "ÃƒÂ©", "The Mona Lisa doesnÃ¢â‚¬â„¢t have eyebrows.",
    "Â£100", "naÃ¯ve", "piÃ±a colada", "Ã", "Ã ", "Â", "São Paulo", "ÃŽ", "Ã‰cole", "Ã§a", "Ã¶", "â€”",
    "â€¦", "â„¢", "Ã¢â‚¬Å“", "Ð¿Ñ€Ð¸Ð²ÐµÑ‚", "í•œêµ­ì–´", "ã‚¢ãƒ‹ãƒ¡", "Ã\xa0 la mode", "Ã  la mode", "Ã¦",
    "Ã‚Â", "Ãº", "â˜ƒ", "ðŸ˜€", "ðŸ±", "Ã©\nâ€™", "l’Ã©tÃ©", "A\u00c3\u00a7\u00c3\u00a3o",
    "Ãœ", "Ã…", "Ä\u008d", "Å¾", "Ã¸", "ГЁ", "×©×œ×•×", "Ø³Ù„Ø§Ù…",
]


def long_inputs():
    words = "the quick brown fox jumps over the lazy dog".split()
    cases = [
        (" ".join(words[i % len(words)] for i in range(100)), CONTEXT),
        (" ".join(f"w{i}" for i in range(80)), CONTEXT),
        ("a" * 1000, CONTEXT),
        ("!" * 1200, CONTEXT),
        ("猫" * 200, CONTEXT),
        ("🐱" * 100, CONTEXT),
        ("x " * 74 + "x", CONTEXT),  # 75 ids: [SOT] + 75 + [EOT] = 77 exactly, no cut
        ("x " * 75 + "x", CONTEXT),  # 76 ids: one over, the cut replaces the last x with EOT
        ("x " * 76 + "x", CONTEXT),
        ("a photo of a dog", 2), ("a photo of a dog", 1), ("a photo of a dog", 5), ("a photo of a dog", 7),
        ("a photo of a dog", 8), ("", 1), ("", 2), ("a diagram", 16),
        ("lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et "
         "dolore magna aliqua. " * 6, CONTEXT),
    ]
    return cases


def random_texts(seed=20250101, count=60):
    """Seeded strings drawn from many scripts and symbol blocks, to reach corners no list thinks of."""
    rng = random.Random(seed)
    blocks = [
        (0x20, 0x7E), (0xA0, 0xFF), (0x100, 0x24F), (0x250, 0x2FF), (0x300, 0x36F), (0x370, 0x3FF), (0x400, 0x4FF),
        (0x590, 0x5FF), (0x600, 0x6FF), (0x900, 0x97F), (0xE00, 0xE7F), (0x1E00, 0x1EFF), (0x2000, 0x206F),
        (0x2100, 0x214F), (0x2190, 0x21FF), (0x2460, 0x24FF), (0x3000, 0x303F), (0x3040, 0x30FF), (0x4E00, 0x4FFF),
        (0xAC00, 0xAD00), (0xFB00, 0xFB4F), (0xFF00, 0xFFEF), (0x1F300, 0x1F64F), (0x1F900, 0x1F9FF),
    ]
    texts = []
    for _ in range(count):
        length = rng.randint(1, 24)
        chars = []
        for _ in range(length):
            lo, hi = rng.choice(blocks)
            cp = rng.randint(lo, hi)
            chars.append(chr(cp) if rng.random() > 0.15 else " ")
        texts.append("".join(chars))
    return texts


def mojibake_made(seed=99, count=100):
    """Real words whose UTF-8 bytes were read in a wrong encoding (some twice, some with lost bytes): the cases
    ftfy's repair heuristics decide on, made the way such text arises."""
    rng = random.Random(seed)
    words = ["café", "naïve", "über", "Straße", "São Paulo", "crème brûlée", "東京", "кошка", "ελληνικά", "עברית",
             "عربي", "हिंदी", "😀", "👍🏽", "it’s", "“quoted”", "—", "…", "€100", "£5", "½", "©", "°C", "Ñandú"]
    encodings = ["latin-1", "cp1252", "cp1251", "cp1250", "cp1253", "cp1254", "cp1257", "iso-8859-2", "mac_roman",
                 "cp437", "cp850", "koi8-r"]
    texts = []
    for _ in range(count):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 4)))
        for _ in range(rng.choice([1, 1, 1, 2])):
            text = text.encode("utf-8").decode(rng.choice(encodings), errors=rng.choice(["replace", "ignore"]))
        if rng.random() < 0.3:
            text = "plain " + text + " " + rng.choice(words)
        texts.append(text)
    return texts


def vocabulary_words(seed=7, count=40):
    """Whole words of the vocabulary and random fragments of them: BPE paths a short list misses."""
    rng = random.Random(seed)
    words = [w[:-4] for w in oc_tokenizer._tokenizer.encoder if w.endswith("</w>") and len(w) > 6]
    words = [w for w in words if all(c.isascii() and c.isalpha() for c in w)]
    picked = rng.sample(sorted(words), count)
    return [" ".join(picked[i:i + 4]) for i in range(0, count, 4)] + ["".join(picked[:6]), picked[0] + picked[1]]


def newer_unicode():
    """Code points assigned after Unicode 13 (Java 17's tables)."""
    return ["\u0870\u0871", "x\u0870y", "\U0001e290\U0001e291", "\u2c2f", "\U00016fe4", "\U0001d7ff", "\u0c5d",
            "\U00010d40\U00010d41", "\U0001fae0", "\U00010592", "\ua7d6\ua7d8", "\u2c2f\u2c00",
            # a capital sigma after a Unicode 14 capital (Vithkuqi): Python sees a cased letter, so final sigma;
            # Java 17 does not know the letter (a documented exception in TokenizerParityTest)
            "\U00010570\u03a3"]


def corpus():
    cases = []
    for group in (PROMPTS, PUNCTUATION, DIGITS, ACCENTS, SCRIPTS, EMOJI, HTML, QUOTES, LIGATURES, WIDTH, INVISIBLE,
                  CONTROLS, MOJIBAKE, mojibake_made(), random_texts(), vocabulary_words(), newer_unicode()):
        cases.extend((t, CONTEXT) for t in group)
    cases += [("", CONTEXT), (" ", CONTEXT), ("   ", CONTEXT), ("\t\n", CONTEXT), ("\n", CONTEXT),
              ("\u00a0", CONTEXT), ("\u200b", CONTEXT), ("  leading and trailing  ", CONTEXT),
              ("multiple   inner    spaces", CONTEXT)]
    cases += long_inputs()
    return cases


def open_clip_ids(text, context_length):
    row = oc_tokenizer.tokenize([text], context_length=context_length)[0].tolist()
    unpadded = min(len(oc_tokenizer._tokenizer.encode(text)) + 2, context_length)
    return row[:unpadded]


def main():
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    seen = set()
    lines = [json.dumps({"meta": {
        "open_clip": open_clip.__version__, "ftfy": ftfy.__version__, "regex": regex.__version__,
        "python": sys.version.split()[0], "tokenizer": "open_clip.tokenize (SimpleTokenizer, clean='lower')",
    }})]
    for text, context_length in corpus():
        # what Java reads back from the JSON is what Python tokenizes (surrogate pairs join on the way)
        text = json.loads(json.dumps(text))
        if (text, context_length) in seen:
            continue
        seen.add((text, context_length))
        ids = open_clip_ids(text, context_length)
        lines.append(json.dumps({"text": text, "context_length": context_length, "ids": ids}))
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")
    print(f"wrote {len(lines) - 1} cases to {os.path.normpath(OUT)} ({os.path.getsize(OUT)} bytes)")


if __name__ == "__main__":
    main()
