package dev.clipsearch.model.image;

/** Input bytes that are not a decodable image, or one outside the accepted limits. Maps to HTTP 400 / 413. */
public class BadImageException extends RuntimeException {
  private final boolean tooLarge;

  public BadImageException(String message, boolean tooLarge) {
    super(message);
    this.tooLarge = tooLarge;
  }

  public BadImageException(String message) {
    this(message, false);
  }

  public boolean tooLarge() {
    return tooLarge;
  }
}
