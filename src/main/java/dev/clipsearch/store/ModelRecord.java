package dev.clipsearch.store;

import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.service.collection.request.AlterCollectionPropertiesReq;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks that an existing collection holds vectors of the model in use ({@link ModelStamp}, in its properties).
 *
 * <p>A collection without a record was made by a clip-search from before the record existed. It is refused, not
 * accepted with a warning: with two 512-d models (the tiny test model and ViT-B/32, say) nothing else can tell
 * whether its vectors fit, and a wrong guess silently ruins every search and every later ingest. Whoever knows which
 * model made it says so once with {@code --adopt-collection}, which records the model in use.
 */
final class ModelRecord {
  private static final Logger LOG = LoggerFactory.getLogger(ModelRecord.class);

  private ModelRecord() {}

  /**
   * Checks the record in {@code properties} against the model in use and writes nothing: returns the record to write
   * when the user adopts a collection that has none ({@code --adopt-collection}). The caller writes it with
   * {@link #write} only once the whole open has succeeded, so a refused open leaves the properties as they were.
   *
   * @param made the collection has clip-search's layout (else it was made by other code, e.g. the tutorial's)
   */
  static Optional<ModelStamp> check(StoreOptions o, Map<String, String> properties, boolean made) {
    ModelStamp mine = o.model();
    if (mine == null) {
      return Optional.empty(); // a caller without a model (tools, tests with vectors of their own)
    }
    String name = o.collection();
    Optional<ModelStamp> recorded = ModelStamp.fromProperties(properties == null ? Map.of() : properties);
    if (recorded.isPresent()) {
      if (!recorded.get().sameModel(mine)) {
        throw new StoreException(mismatch(name, recorded.get(), mine));
      }
      return Optional.empty();
    }
    if (!o.adoptUnrecorded()) {
      throw new StoreException("collection " + name + " does not record which model made its vectors (it was made "
          + (made ? "by a clip-search older than this one" : "by other code, such as the Milvus tutorial's")
          + "). If it was made with the model now in use, " + mine.describe() + ", run once with --adopt-collection "
          + "to record that; otherwise keep this model's vectors apart with --collection NEW_NAME and ingest your "
          + "folders again");
    }
    return Optional.of(mine);
  }

  /** Records {@code model} in the collection's properties, as {@link #check} asked for; its rows are untouched. */
  static void write(MilvusClientV2 admin, String collection, ModelStamp model) {
    admin.alterCollectionProperties(AlterCollectionPropertiesReq.builder().collectionName(collection)
        .properties(model.properties()).build());
    LOG.warn("collection {} had no record of its model; recorded {} as asked (--adopt-collection); its rows are "
        + "untouched", collection, model.describe());
  }

  static String mismatch(String collection, ModelStamp recorded, ModelStamp mine) {
    return "collection " + collection + " holds vectors of the model " + recorded.describe() + ", but the model in "
        + "use is " + mine.describe() + "; vectors of different models cannot be compared. Either run with the "
        + "model that made it (--model), or keep this model's vectors apart: --collection NEW_NAME, then ingest your "
        + "folders again (that embeds them with this model); drop " + collection + " once it is no longer needed";
  }
}
