package dev.clipsearch.store;

/** Any failure of the vector store (unreachable server, rejected request). Mapped to 503 by web.ErrorMapping. */
public class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  public StoreException(String message) {
    super(message);
  }
}
