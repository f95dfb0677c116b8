package dev.clipsearch.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How to reach Milvus and what the collection looks like. Validated on construction, so a bad option fails at start-up
 * with a message naming it rather than as an obscure server error later. The composition root builds it from the
 * settings ({@code App.storeOptions}), where the defaults are declared.
 *
 * @param uri a local directory path (embedded Milvus Lite keeps its data there; a {@code ./milvus.db} style name is
 *     used as a directory, as pymilvus does) or {@code http(s)://host:port} for a Milvus server
 * @param token API key or {@code user:password} for a remote server; null for none (Milvus Lite has no auth)
 * @param collection the collection name
 * @param dimension the embedding size the model produces; an existing collection must match it
 * @param indexType the vector index built at creation
 * @param hnswM HNSW graph degree (HNSW only)
 * @param hnswEfConstruction HNSW build-time candidate list (HNSW only)
 * @param searchEf HNSW search-time candidate list; raised to k when k is larger
 * @param rpcDeadline the longest any data call (insert, search, query, delete) may take; a dead server fails sooner
 * @param loadDeadline the longest creating or loading the collection may take (Lite builds HNSW inside load)
 * @param litePython the Python that runs Milvus Lite (ignored for a remote server); see
 *     {@link LiteLauncher#defaultPython}
 * @param liteStartTimeout how long Milvus Lite may take to start (ignored for a remote server)
 * @param database the Milvus database holding the collection (created if missing); null for the server's default
 * @param model the model whose vectors go into the collection, recorded in it at creation and checked on every open;
 *     null for callers without a model (tools and tests that store vectors of their own)
 * @param adoptUnrecorded record {@code model} in an existing collection that has no record yet (one made before
 *     clip-search recorded models, or by other code) instead of refusing it
 * @param vectorField the vector field of an existing collection made by other code
 * @param pathField the image path of an existing collection made by other code: a VarChar field or a key of its
 *     dynamic field
 * @param createIndex build the vector index an existing collection made by other code lacks, instead of refusing it
 */
public record StoreOptions(
    String uri,
    String token,
    String collection,
    int dimension,
    IndexKind indexType,
    int hnswM,
    int hnswEfConstruction,
    int searchEf,
    Duration rpcDeadline,
    Duration loadDeadline,
    String litePython,
    Duration liteStartTimeout,
    String database,
    ModelStamp model,
    boolean adoptUnrecorded,
    String vectorField,
    String pathField,
    boolean createIndex) {

  /** The vector index kinds clip-search can create. All use the COSINE metric. */
  public enum IndexKind {
    /** The server's choice (Lite: HNSW M=16/efConstruction=200; Milvus: its tuned default). */
    AUTOINDEX,
    /** Graph index; the default. */
    HNSW,
    /** Exact brute force: slower searches, no build time, deterministic results. */
    FLAT
  }

  /**
   * A dimension for tools that load no model and only read or delete (stats, delete): the collection must exist
   * already, and any dimension is accepted.
   */
  public static final int ANY_DIMENSION = 0;

  /** Milvus caps vector dimensions at 32768. */
  static final int MAX_DIMENSION = 32_768;

  // Milvus naming rule for collections and databases: a letter or underscore, then letters, digits, underscores; at most 255.
  private static final Pattern COLLECTION_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,254}");

  public StoreOptions {
    if (uri == null || uri.isBlank()) {
      throw new IllegalArgumentException("Milvus URI is empty: give a data directory or http(s)://host:port");
    }
    uri = uri.strip();
    String scheme = scheme(uri);
    if (scheme != null && !scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("Milvus URI '" + uri + "' has scheme '" + scheme
          + "'; use http://host:port, https://host:port, or a local directory for embedded Milvus Lite");
    }
    if (scheme != null) {
      requireHostPort(uri);
    }
    if (token != null && token.isBlank()) {
      token = null;
    }
    Objects.requireNonNull(collection, "collection");
    if (!COLLECTION_NAME.matcher(collection).matches()) {
      throw new IllegalArgumentException("collection name '" + collection
          + "' is invalid: use letters, digits and underscores, starting with a letter or underscore (max 255)");
    }
    if (dimension < 0 || dimension > MAX_DIMENSION) {
      throw new IllegalArgumentException("vector dimension " + dimension + " is out of range 1.." + MAX_DIMENSION
          + " (0: any, for tools that only read or delete)");
    }
    Objects.requireNonNull(indexType, "indexType");
    if (hnswM < 2 || hnswM > 2048) {
      throw new IllegalArgumentException("HNSW M " + hnswM + " is out of range 2..2048");
    }
    if (hnswEfConstruction < 1) {
      throw new IllegalArgumentException("HNSW efConstruction must be positive, got " + hnswEfConstruction);
    }
    if (searchEf < 1) {
      throw new IllegalArgumentException("search ef must be positive, got " + searchEf);
    }
    requirePositive("RPC deadline", rpcDeadline);
    requirePositive("load deadline", loadDeadline);
    requirePositive("Milvus Lite start timeout", liteStartTimeout);
    if (litePython == null || litePython.isBlank()) {
      throw new IllegalArgumentException("no Python executable given for Milvus Lite");
    }
    if (database != null && database.isBlank()) {
      database = null;
    }
    if (database != null && !COLLECTION_NAME.matcher(database).matches()) {
      throw new IllegalArgumentException("database name '" + database
          + "' is invalid: use letters, digits and underscores, starting with a letter or underscore (max 255)");
    }
    for (String field : new String[] {vectorField, pathField}) {
      if (field == null || !COLLECTION_NAME.matcher(field).matches()) {
        throw new IllegalArgumentException("field name '" + field
            + "' is invalid: use letters, digits and underscores, starting with a letter or underscore (max 255)");
      }
    }
    if (model != null && model.dimension() != dimension) {
      throw new IllegalArgumentException("model " + model.name() + " gives " + model.dimension() + "-d vectors, not "
          + dimension);
    }
  }

  /** True for {@code http(s)://} URIs (a Milvus server); false for a local path (embedded Milvus Lite). */
  public boolean isRemote() {
    return scheme(uri) != null;
  }

  /** The Lite data directory, absolute. Only for a local URI. */
  public Path liteDataDir() {
    if (isRemote()) {
      throw new IllegalStateException(uri + " is a remote server, not a local data directory");
    }
    return Path.of(uri).toAbsolutePath().normalize();
  }

  /** toString without the token, so options can be logged. */
  @Override
  public String toString() {
    return "StoreOptions[uri=" + uri + ", token=" + (token == null ? "none" : "***") + ", collection=" + collection
        + ", dimension=" + dimension + ", index=" + indexType + (indexType == IndexKind.HNSW
            ? "(M=" + hnswM + ", efConstruction=" + hnswEfConstruction + ")" : "")
        + ", searchEf=" + searchEf + ", rpcDeadline=" + rpcDeadline + ", loadDeadline=" + loadDeadline
        + ", litePython=" + litePython + ", liteStartTimeout=" + liteStartTimeout
        + ", database=" + (database == null ? "default" : database) + ", model=" + (model == null ? "unchecked"
            : model.describe()) + ", adoptUnrecorded=" + adoptUnrecorded + ", vectorField=" + vectorField
        + ", pathField=" + pathField + ", createIndex=" + createIndex + "]";
  }

  /** The lower-cased URI scheme, or null for a plain path. A Windows drive letter ("C:") is not a scheme. */
  private static String scheme(String uri) {
    int colon = uri.indexOf(':');
    if (colon < 2 || !uri.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*")) {
      return null;
    }
    return uri.substring(0, colon).toLowerCase(Locale.ROOT);
  }

  private static void requireHostPort(String uri) {
    try {
      URI parsed = new URI(uri);
      if (parsed.getHost() == null || parsed.getHost().isEmpty()) {
        throw new IllegalArgumentException("Milvus URI '" + uri + "' has no host");
      }
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("Milvus URI '" + uri + "' is malformed: " + e.getMessage(), e);
    }
  }

  private static void requirePositive(String what, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got " + d);
    }
  }
}
