package dev.clipsearch.store;

/**
 * The collection cannot take new rows, and says why (docs/storage.md, "Collections made by other code"): its primary
 * keys are not auto_id, or it has neither clip-search's fields nor a dynamic field for the file facts. Searching it
 * works. Raised by {@link VectorStore#requireWritable()} before anything is read, embedded or sent, so a refused ingest
 * or upload changes nothing.
 *
 * <p>A refusal, not an outage: the web layer answers 409 with this message (web.ErrorMapping), readiness is
 * unaffected, and the command line prints the message and exits 1.
 */
public final class ReadOnlyCollectionException extends StoreException {
  /** @param because the property that makes it read-only, e.g. "its primary key 'pk' is not auto_id" */
  public ReadOnlyCollectionException(String collection, String because) {
    super(message(collection, because));
  }

  private static String message(String collection, String because) {
    return "collection " + collection + " is read-only for clip-search: " + because + ". Searching it works; to add "
        + "images, copy it into a collection of clip-search's own: clip-search migrate --from " + collection
        + " --collection NEW_NAME";
  }
}
