/**
 * Python's view of Unicode where Java 17's differs: letter/number classes and lower-case mappings from Unicode 14,
 * whitespace as {@code str.isspace()}. Shared by the tokenizer's pre-split pattern and the ftfy port, which both
 * reproduce Python regular expressions. Depends on nothing of the project.
 */
package dev.clipsearch.model.text.unicode;
