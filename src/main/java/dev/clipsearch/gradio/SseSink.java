package dev.clipsearch.gradio;

import java.io.IOException;

/** Where a stream's frames go: the web layer writes them to the HTTP response and flushes each one. */
@FunctionalInterface
public interface SseSink {
  /** Writes and flushes one complete frame; an IOException means the client is gone. */
  void send(byte[] frame) throws IOException;
}
