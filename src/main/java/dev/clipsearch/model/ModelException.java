package dev.clipsearch.model;

/** A model that cannot be loaded or run: bad file, bad spec, native failure. */
public class ModelException extends RuntimeException {
  public ModelException(String message) {
    super(message);
  }

  public ModelException(String message, Throwable cause) {
    super(message, cause);
  }
}
