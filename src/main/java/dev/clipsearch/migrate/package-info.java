/**
 * {@code clip-search migrate}: copies a collection made by other code into a clip-search collection, vectors carried
 * over, file facts read from the files (issue 24; docs/storage.md, "Collections made by other code").
 */
package dev.clipsearch.migrate;
