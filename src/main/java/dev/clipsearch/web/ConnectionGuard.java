package dev.clipsearch.web;

import dev.clipsearch.concurrent.Threads;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.HttpConnection;

/**
 * Per-connection bounds Jetty 11 has no setting for: a cap on the connections of one client address, and a deadline
 * for a request's headers. Registered as a bean of the connector, so Jetty tells it of every connection opened and
 * closed; the total cap and the idle timeout are Jetty's own ({@code ConnectionLimit}, {@code setIdleTimeout}).
 *
 * <p>Over the per-address cap a connection is not dropped in silence: it is marked, its idle timeout cut to
 * {@link #OVER_CAP_IDLE_MILLIS}, and its first request answered 429 by {@link WholeBodyFilter}, so the client learns
 * why. A connection whose headers started but have not ended within the header timeout (a slowloris: a byte now and
 * then keeps the idle timeout from firing) is closed by a sweep every {@link #SWEEP_MILLIS}. Header parsing never
 * holds a request thread in Jetty (the selector parses what arrived and waits for more), so these connections cost a
 * socket and a buffer, not a thread.
 *
 * <p>Threading: {@link #onOpened}/{@link #onClosed} run on Jetty's selector threads; the sweep on its own thread
 * ({@code connection-sweeper}) reads each parser's state without the connection's lock. That read can be stale by a
 * sweep or two, which only delays a close: the deadline is a bound on abuse, not a precise timer.
 */
final class ConnectionGuard implements Connection.Listener, AutoCloseable {
  static final long OVER_CAP_IDLE_MILLIS = 2_000;
  static final long SWEEP_MILLIS = 500;

  /** When a connection's current request started arriving, keyed by how many requests it had parsed before. */
  private static final class Tracked {
    final String address;
    long requestsSeen = -1;
    long headersSinceNanos;

    Tracked(String address) {
      this.address = address;
    }
  }

  private final int perClient;
  private final long headerTimeoutNanos;
  private final Shedding shed;
  private final Map<HttpConnection, Tracked> open = new ConcurrentHashMap<>();
  private final Map<String, Integer> perAddress = new ConcurrentHashMap<>();
  private final Set<Connection> overCap = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService sweeper;

  ConnectionGuard(ConnectionLimits limits, Shedding shed) {
    this.perClient = limits.perClient();
    this.headerTimeoutNanos = limits.headerTimeout().toNanos();
    this.shed = shed;
    this.sweeper = Executors.newSingleThreadScheduledExecutor(Threads.named("connection-sweeper"));
    sweeper.scheduleWithFixedDelay(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
  }

  @Override
  public void onOpened(Connection c) {
    if (!(c instanceof HttpConnection http)) {
      return;
    }
    String address = address(c.getEndPoint().getRemoteSocketAddress());
    open.put(http, new Tracked(address));
    if (perAddress.merge(address, 1, Integer::sum) > perClient) {
      overCap.add(c);
      c.getEndPoint().setIdleTimeout(OVER_CAP_IDLE_MILLIS);
      shed.count(Shedding.Reason.CONNECTIONS_PER_CLIENT);
    }
  }

  @Override
  public void onClosed(Connection c) {
    Tracked t = c instanceof HttpConnection http ? open.remove(http) : null;
    if (t == null) {
      return;
    }
    overCap.remove(c);
    perAddress.computeIfPresent(t.address, (a, n) -> n > 1 ? n - 1 : null);
  }

  /** Whether this connection is one over its address's cap (its request gets a 429). */
  boolean isOverCap(Connection c) {
    return overCap.contains(c);
  }

  int openConnections() {
    return open.size();
  }

  int perClientCap() {
    return perClient;
  }

  /** Closes connections whose request headers have taken longer than the header timeout. */
  void sweep() {
    long now = System.nanoTime();
    open.forEach((c, t) -> {
      HttpParser p = c.getParser();
      boolean midHeaders = p.inHeaderState() && !p.isIdle(); // idle = START (nothing yet) or between requests
      if (!midHeaders) {
        t.requestsSeen = -1;
        return;
      }
      long seen = c.getMessagesIn();
      if (t.requestsSeen != seen) {
        t.requestsSeen = seen;
        t.headersSinceNanos = now;
      } else if (now - t.headersSinceNanos > headerTimeoutNanos) {
        shed.count(Shedding.Reason.HEADER_TIMEOUT);
        c.getEndPoint().close();
      }
    });
  }

  static String address(SocketAddress a) {
    return a instanceof InetSocketAddress i && i.getAddress() != null ? i.getAddress().getHostAddress()
        : String.valueOf(a);
  }

  @Override
  public void close() {
    sweeper.shutdownNow();
  }
}
