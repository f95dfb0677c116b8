/**
 * The vector store: {@link dev.clipsearch.store.VectorStore} and its Milvus implementation. The only package that
 * talks to Milvus ({@code io.milvus.*}).
 *
 * <ul>
 *   <li>{@link dev.clipsearch.store.MilvusVectorStore#open} with {@link dev.clipsearch.store.StoreOptions}: a local
 *       path runs an embedded Milvus Lite ({@link dev.clipsearch.store.LiteLauncher}, a child Python process that
 *       stops with the JVM); an {@code http(s)://} URI connects to a Milvus server.
 *   <li>Milvus Lite 3 differs from Milvus in ways the SDK trips over; each workaround is applied where needed and cites
 *       docs/storage.md, "Lite quirks": createIndex sync(false), undecodable legacy error codes, HNSW params as JSON,
 *       keepalive, load state not persisted, single writer per collection.
 *   <li>Every failure surfaces as {@link dev.clipsearch.store.StoreException} with a message a user can act on.
 * </ul>
 */
package dev.clipsearch.store;
