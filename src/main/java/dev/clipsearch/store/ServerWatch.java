package dev.clipsearch.store;

import dev.clipsearch.concurrent.Threads;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.Locale;

/**
 * Notices that a remote Milvus server went away: every 2 s it opens (and closes) a TCP connection to the server's
 * port. A killed server refuses at once, while an RPC waits for a connection until its deadline (gRPC wait-for-ready),
 * so without this the first calls after a crash would each hang for the whole deadline. A server behind a proxy that
 * still accepts connections is not caught here; its calls fail by deadline as before.
 *
 * <p>One daemon thread per remote store; {@link #close()} stops it.
 */
final class ServerWatch implements AutoCloseable {
  private static final int PERIOD_MS = 2000;
  private static final int CONNECT_TIMEOUT_MS = 1000;

  private final InetSocketAddress address;
  private final Runnable onDown;
  private final Thread thread;
  private volatile boolean closed;

  private ServerWatch(InetSocketAddress address, Runnable onDown) {
    this.address = address;
    this.onDown = onDown;
    this.thread = Threads.named("milvus-server-watch").newThread(this::run);
  }

  /** Watches the server of {@code uri}; null when the URI names no port to probe. */
  static ServerWatch start(String uri, Runnable onDown) {
    URI u = URI.create(uri);
    int port = u.getPort() > 0 ? u.getPort()
        : u.getScheme().toLowerCase(Locale.ROOT).equals("https") ? 443 : -1;
    if (port < 0) {
      return null;
    }
    ServerWatch w = new ServerWatch(InetSocketAddress.createUnresolved(u.getHost(), port), onDown);
    w.thread.start();
    return w;
  }

  private void run() {
    while (!closed) {
      try {
        Thread.sleep(PERIOD_MS);
      } catch (InterruptedException e) {
        return;
      }
      if (!closed && !reachable()) {
        onDown.run(); // idempotent on the store's side while a reconnect runs
      }
    }
  }

  private boolean reachable() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(address.getHostString(), address.getPort()), CONNECT_TIMEOUT_MS);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }
}
