package dev.clipsearch.store;

/** One search result: the stored file path and its cosine similarity to the query (higher is closer). */
public record Hit(long id, String path, float score) {}
