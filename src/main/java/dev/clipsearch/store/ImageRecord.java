package dev.clipsearch.store;

/** A row to store: the image's path (its identity) and its unit-normalised embedding. */
public record ImageRecord(String path, float[] vector) {}
