/**
 * CLIP's tokenizer: {@link dev.clipsearch.model.text.Tokenizer} turns a query into the token ids open_clip's
 * {@code tokenize} gives (text cleaning, the pre-split pattern, byte-level BPE over the vocabulary on the classpath).
 * Pure Java, immutable, thread-safe.
 *
 * <p>Depends on {@code dev.clipsearch.model} (ModelException) and its own sub-packages {@code text.ftfy} (the ftfy
 * port that cleaning starts with) and {@code text.unicode} (Python's character classes); nothing else of the project.
 */
package dev.clipsearch.model.text;
