/**
 * Small concurrency helpers every package may use (a leaf: it depends on nothing of clip-search): today the naming of
 * threads, so that a thread dump reads as docs/architecture.md#threads.
 */
package dev.clipsearch.concurrent;
