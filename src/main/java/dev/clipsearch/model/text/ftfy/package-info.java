/**
 * A port of the parts of ftfy 6.3 that open_clip's text cleaning runs:
 * {@link dev.clipsearch.model.text.ftfy.Ftfy#fixText} ({@code ftfy.fix_text} with its defaults: mojibake repair,
 * HTML entities, C1 controls, ligatures, widths, quotes, line breaks, surrogates, terminal escapes) and Python's
 * {@code html.unescape} ({@link dev.clipsearch.model.text.ftfy.Html#unescape}). The data comes from ftfy itself, exported by
 * {@code models/make_tokenizer_tables.py} into this package's resources.
 *
 * <p>Depends only on {@code dev.clipsearch.model.text.unicode} (Python's {@code \w} and {@code \s}).
 */
package dev.clipsearch.model.text.ftfy;
