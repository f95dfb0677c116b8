package dev.clipsearch.store;

/**
 * The embedded Milvus Lite child died and is being restarted: the call was refused at once rather than waiting for a
 * server that is not there. A {@link StoreException}, so everything that handles store failures handles it; the web
 * layer tells users to retry in a few seconds.
 */
public final class StoreRestartingException extends StoreException {
  public StoreRestartingException(String message) {
    super(message);
  }
}
