package dev.clipsearch.web;

/** A request that needs the API token came without it, or with a wrong one. ErrorMapping answers 401. */
final class Unauthorized extends RuntimeException {
  Unauthorized(String message) {
    super(message, null, false, false); // an expected refusal: no stack trace to fill or log
  }
}
