package dev.clipsearch.store;

import io.milvus.v2.client.MilvusClientV2;

/**
 * The server a {@link MilvusVectorStore} talks to: the embedded Lite process (null for a remote server) and the client;
 * replaced together when {@link Recovery} restarts Lite or reconnects to a server.
 */
record Backend(LiteLauncher lite, MilvusClientV2 client) {}
